import { setMaxListeners } from 'node:events';
import { Logger as GraphileLogger } from 'graphile-worker';
import type pg from 'pg';
import type { Logger } from '../../logger.js';
import type { Queryable } from '../store/queryable.js';
import { RECOVER, RELEASE_STALE_JOBS, REQUEUE, RUN_TASK } from '../store/sql.js';
import { runExecution, runLeasedExecution, type ExecutorDeps, type LeasedExecution } from './executor.js';
import type { ComponentHealth } from '../health.js';
import { superviseQueueRunner } from './queue-runner.js';

export interface WorkerOptions {
  /** Executions run at once by this process. */
  concurrency: number;
  /** How often to look for executions whose worker died (expired lease) or that nobody picked up. */
  recoveryIntervalMs: number;
  /** Queue poll interval when LISTEN/NOTIFY is quiet. */
  pollIntervalMs: number;
}

export interface Worker {
  /**
   * A slot to run a just-started execution here and now, if this worker has room: the caller inserts
   * the execution already leased to `workerId`, then hands it over with `run` (or gives the slot back).
   */
  reserve(): LocalSlot | undefined;
  readonly workerId: string;
  /** For readiness: whether the job queue runner is up (it restarts itself after a database outage). */
  health(): ComponentHealth;
  /**
   * Stops taking work at once, lets the steps in flight end, hands every held execution back to the
   * queue (another worker takes it now, not a lease later), and resolves when nothing is left.
   */
  stop(): Promise<void>;
}

export interface LocalSlot {
  run(leased: LeasedExecution): void;
  release(): void;
}

export function graphileLogger(logger: Logger): GraphileLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    const fields = { ...scope, ...meta };
    if (level === 'error') logger.error(fields, message);
    else if (level === 'warning') logger.warn(fields, message);
    else logger.debug(fields, message);
  });
}

/**
 * A worker process's loop: takes `run execution` jobs from the Postgres job queue (graphile-worker)
 * and runs them, and independently recovers executions whose worker died and releases the queue jobs
 * such a worker left locked — graphile-worker would keep them locked for hours.
 */
export async function startWorker(deps: {
  executor: ExecutorDeps;
  /** A factory (a pool per runner, see queue-runner.ts) or one shared pool. */
  queuePool: pg.Pool | (() => pg.Pool);
  db: Queryable;
  logger: Logger;
  options: WorkerOptions;
}): Promise<Worker> {
  const { logger, options } = deps;
  const shutdown = new AbortController();
  // Every run in progress listens for it.
  setMaxListeners(0, shutdown.signal);
  const executor: ExecutorDeps = { ...deps.executor, shutdown: shutdown.signal };

  const runner = superviseQueueRunner({
    logger,
    signal: shutdown.signal,
    pool: deps.queuePool,
    options: {
      concurrency: options.concurrency,
      noHandleSignals: true,
      pollInterval: options.pollIntervalMs,
      logger: graphileLogger(logger),
      taskList: {
        [RUN_TASK]: async (payload) => {
          const executionId = (payload as { executionId?: unknown } | null)?.executionId;
          if (typeof executionId !== 'string') throw new Error(`job ${RUN_TASK} without an executionId`);
          // A job that reaches a stopping worker goes back to the queue for another worker.
          if (shutdown.signal.aborted) await deps.db.query(REQUEUE, [executionId]);
          else await runExecution(executor, executionId);
        },
      },
      preset: {
        worker: {
          localQueue: { size: options.concurrency },
          completeJobBatchDelay: 0,
          failJobBatchDelay: 0,
        },
      },
    },
  });

  const recover = async () => {
    try {
      const rows = await deps.db.query<{ id: string }>(RECOVER, [executor.leaseSeconds, 100]);
      if (rows.length > 0) logger.info({ executions: rows.map((row) => row.id) }, 'recovering executions');
      const [released] = await deps.db.query<{ removed: number; unlocked: number }>(RELEASE_STALE_JOBS, [executor.leaseSeconds, 500]);
      if (released && released.removed + released.unlocked > 0) logger.info(released, 'released queue jobs of dead workers');
    } catch (error) {
      logger.warn({ err: error }, 'recovery scan failed');
    }
  };
  const timer = setInterval(() => void recover(), options.recoveryIntervalMs);

  // Executions started in this process run here directly, up to `concurrency` at once; should this
  // process die, their lease expires and the recovery scan queues them.
  const local = new Set<Promise<void>>();
  let reserved = 0;

  return {
    workerId: executor.workerId,
    health: () => runner.health(),
    reserve() {
      if (shutdown.signal.aborted || reserved >= options.concurrency) return undefined;
      reserved += 1;
      let released = false;
      const release = () => {
        if (!released) {
          released = true;
          reserved -= 1;
        }
      };
      return {
        release,
        run(leased) {
          const running = runLeasedExecution(executor, leased)
            .catch((error: unknown) => logger.error({ err: error, executionId: leased.id }, 'execution run failed; the recovery scan will queue it'))
            .finally(() => {
              release();
              local.delete(running);
            });
          local.add(running);
        },
      };
    },
    async stop() {
      shutdown.abort();
      clearInterval(timer);
      await runner.stopped;
      await Promise.allSettled(local);
      await executor.writer.drain();
    },
  };
}
