import { setTimeout as sleep } from 'node:timers/promises';
import { run, type Runner, type RunnerOptions } from 'graphile-worker';
import { coerceError } from '../../errors.js';
import type { Logger } from '../../logger.js';

/** What a readiness check reports of one long-running component. */
export interface ComponentHealth {
  ok: boolean;
  detail?: string;
}

export interface SupervisedRunner {
  health(): ComponentHealth;
  /** Resolves once the runner has stopped for good (after `signal` aborts), its running jobs ended. */
  readonly stopped: Promise<void>;
}

/** Restart delays after consecutive failures: 0.5 s doubling to 30 s. */
const RESTART_BASE_MS = 500;
const RESTART_MAX_MS = 30_000;
/** A runner that lived this long before failing starts the backoff afresh. */
const HEALTHY_AFTER_MS = 30_000;

/**
 * Keeps a graphile-worker runner going. graphile-worker stops its worker pool for good when the
 * database fails under it (a restart, a failover, a killed connection: "Runner stopping … worker pool
 * exited with error"), which would leave the process alive and idle. Here a runner that stops without
 * being asked is started again, with backoff, until `signal` aborts; then the current one is stopped
 * gracefully (its local queue's jobs are unlocked, running jobs end).
 */
export function superviseQueueRunner(deps: { options: RunnerOptions; logger: Logger; signal: AbortSignal }): SupervisedRunner {
  const { logger, signal } = deps;
  let current: Runner | undefined;
  let lastError: string | undefined = 'starting';

  const stopCurrent = () => {
    const runner = current;
    if (runner) void runner.stop('shutting down').catch((error: unknown) => logger.warn({ err: error }, 'job queue runner did not stop cleanly'));
  };
  signal.addEventListener('abort', stopCurrent, { once: true });

  const stopped = (async () => {
    let failures = 0;
    while (!signal.aborted) {
      const startedAt = Date.now();
      try {
        current = await run(deps.options);
        lastError = undefined;
        if (signal.aborted) stopCurrent();
        await current.promise;
        if (signal.aborted) break;
        lastError = 'the job queue runner stopped unexpectedly';
        logger.error('job queue runner stopped without being asked; starting it again');
      } catch (error) {
        if (signal.aborted) break;
        lastError = coerceError(error).message;
        logger.warn({ err: error }, 'job queue runner failed; starting it again');
      } finally {
        current = undefined;
      }
      failures = Date.now() - startedAt > HEALTHY_AFTER_MS ? 1 : failures + 1;
      const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** (failures - 1));
      await sleep(delay, undefined, { signal }).catch(() => undefined);
    }
  })();

  return {
    health: () => (lastError === undefined ? { ok: true } : { ok: false, detail: lastError }),
    stopped,
  };
}
