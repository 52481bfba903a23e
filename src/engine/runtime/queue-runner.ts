import { setTimeout as sleep } from 'node:timers/promises';
import { run, type Runner, type RunnerOptions } from 'graphile-worker';
import type pg from 'pg';
import { coerceError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { healthAfter, type ComponentHealth } from '../health.js';

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
/** Fetching jobs has failed for this long without one success: the runner is replaced. */
const STALLED_AFTER_MS = 5_000;

export interface QueueRunnerDeps {
  /** graphile-worker's options, without the pool. */
  options: Omit<RunnerOptions, 'pgPool'>;
  /**
   * The job queue's connections: a factory gives each runner a pool of its own (ended with it), since
   * a pool that served a dead server can keep failing; a pool is shared by every runner.
   */
  pool: pg.Pool | (() => pg.Pool);
  logger: Logger;
  signal: AbortSignal;
}

/**
 * Keeps a graphile-worker runner taking jobs. When the database fails under it (a restart, a failover,
 * killed connections) graphile-worker may stop its worker pool for good ("Runner stopping … worker pool
 * exited with error"), shut the pool down by itself while `runner.promise` stays pending, or keep
 * failing every job fetch; any of these would leave the process alive and idle. Here each of them
 * replaces the runner — and its connection pool, since a pool that served a dead server can keep
 * failing — with backoff, until `signal` aborts; then the current runner stops gracefully (its running
 * jobs end).
 */
export function superviseQueueRunner(deps: QueueRunnerDeps): SupervisedRunner {
  const { logger, signal } = deps;
  let current: Runner | undefined;
  let lastError: string | undefined = 'starting';

  const stopCurrent = () => {
    const runner = current;
    if (runner) void runner.stop('shutting down').catch((error: unknown) => logger.warn({ err: error }, 'job queue runner did not stop cleanly'));
  };
  signal.addEventListener('abort', stopCurrent, { once: true });

  /**
   * Runs one runner until it ends, stalls or is told to stop. Unasked, says why it ended and lets the
   * old runner wind down in the background (`winding`); it fetches nothing more once stopping.
   */
  async function runOnce(pool: pg.Pool): Promise<{ reason?: string; winding: Promise<unknown> }> {
    const runner = await run({ ...deps.options, pgPool: pool });
    current = runner;
    lastError = undefined;
    if (signal.aborted) stopCurrent();
    let failingSince: number | undefined;
    runner.events.on('worker:getJob:error', () => (failingSince ??= Date.now()));
    const fetched = () => (failingSince = undefined);
    runner.events.on('worker:getJob:empty', fetched);
    runner.events.on('job:start', fetched);
    let watchdog: NodeJS.Timeout | undefined;
    const stalled = new Promise<string>((resolve) => {
      watchdog = setInterval(() => {
        if (failingSince !== undefined && Date.now() - failingSince > STALLED_AFTER_MS) resolve('fetching jobs kept failing');
      }, 1_000);
    });
    const shutDownByItself = new Promise<string>((resolve) => runner.events.once('pool:gracefulShutdown', () => resolve('the worker pool shut itself down')));
    const ended = runner.promise.then(
      () => 'the job queue runner stopped unexpectedly',
      (error: unknown) => coerceError(error).message,
    );
    try {
      const reason = await Promise.race([ended, stalled, shutDownByItself]);
      if (signal.aborted) {
        await ended;
        return { winding: Promise.resolve() };
      }
      return { reason, winding: runner.stop(reason).catch(() => undefined) };
    } finally {
      clearInterval(watchdog);
      current = undefined;
    }
  }

  const stopped = (async () => {
    let failures = 0;
    while (!signal.aborted) {
      const startedAt = Date.now();
      const ownPool = typeof deps.pool === 'function';
      const pool = typeof deps.pool === 'function' ? deps.pool() : deps.pool;
      let reason: string | undefined;
      let winding: Promise<unknown> = Promise.resolve();
      try {
        ({ reason, winding } = await runOnce(pool));
      } catch (error) {
        reason = coerceError(error).message;
      }
      // Ended once graphile-worker has let go of it, or after a while if it never does.
      if (ownPool) {
        const ending = Promise.race([winding, sleep(10_000, undefined, { ref: false })]).then(() => pool.end().catch(() => undefined));
        if (signal.aborted) await ending;
      }
      if (signal.aborted) break;
      lastError = reason ?? 'stopped';
      logger.warn({ reason: lastError }, 'job queue runner replaced');
      failures = Date.now() - startedAt > HEALTHY_AFTER_MS ? 1 : failures + 1;
      const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** (failures - 1));
      await sleep(delay, undefined, { signal }).catch(() => undefined);
    }
  })();

  return {
    health: () => healthAfter(lastError),
    stopped,
  };
}
