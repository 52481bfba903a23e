import { Logger as GraphileLogger, run, type Runner } from 'graphile-worker';
import type pg from 'pg';
import type { Logger } from '../../logger.js';
import type { Queryable } from '../store/queryable.js';
import { RECOVER, RUN_TASK } from '../store/sql.js';
import { runExecution, runLeasedExecution, type ExecutorDeps, type LeasedExecution } from './executor.js';

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
 * and runs them, and independently recovers executions whose worker died — a killed process's job
 * stays locked in the queue for hours, so recovery must not wait for the queue.
 */
export async function startWorker(deps: {
  executor: ExecutorDeps;
  queuePool: pg.Pool;
  db: Queryable;
  logger: Logger;
  options: WorkerOptions;
}): Promise<Worker> {
  const { executor, logger, options } = deps;
  const runner: Runner = await run({
    pgPool: deps.queuePool,
    concurrency: options.concurrency,
    noHandleSignals: true,
    pollInterval: options.pollIntervalMs,
    logger: graphileLogger(logger),
    taskList: {
      [RUN_TASK]: async (payload) => {
        const executionId = (payload as { executionId?: unknown } | null)?.executionId;
        if (typeof executionId !== 'string') throw new Error(`job ${RUN_TASK} without an executionId`);
        await runExecution(executor, executionId);
      },
    },
    preset: {
      worker: {
        localQueue: { size: options.concurrency },
        completeJobBatchDelay: 0,
        failJobBatchDelay: 0,
      },
    },
  });

  const recover = async () => {
    try {
      const rows = await deps.db.query<{ id: string }>(RECOVER, [executor.leaseSeconds, 100]);
      if (rows.length > 0) logger.info({ executions: rows.map((row) => row.id) }, 'recovering executions');
    } catch (error) {
      logger.warn({ err: error }, 'recovery scan failed');
    }
  };
  const timer = setInterval(() => void recover(), options.recoveryIntervalMs);

  // Executions started in this process run here directly, up to `concurrency` at once; their queued
  // job is only the fallback should this process die.
  const local = new Set<Promise<void>>();
  let reserved = 0;
  let stopping = false;

  return {
    workerId: executor.workerId,
    reserve() {
      if (stopping || reserved >= options.concurrency) return undefined;
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
            .catch((error: unknown) => logger.error({ err: error, executionId: leased.id }, 'execution run failed; its fallback job will retry it'))
            .finally(() => {
              release();
              local.delete(running);
            });
          local.add(running);
        },
      };
    },
    async stop() {
      stopping = true;
      clearInterval(timer);
      await runner.stop();
      await Promise.allSettled(local);
      await executor.writer.drain();
    },
  };
}
