import { setMaxListeners } from 'node:events';
import { coerceError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { healthAfter, type ComponentHealth } from '../health.js';
import type { Queryable } from '../../infra/queryable.js';
import { claimRuns, recoverRuns } from '../store/leases.js';
import { listenForWakeups, WORK_WAKEUP_TOPIC, type WakeupSource, type Wakeups } from '../wakeups.js';
import { claimDelayMs, DEFAULT_CLAIM_DEFER_MS, DEFAULT_SATURATED_AT, ownUtilization, type PackingOptions } from './claim-pacing.js';
import { runClaimedExecution, runLeasedExecution, type ExecutorDeps, type LeasedExecution } from './executor.js';

export interface WorkerOptions {
  /** Executions run at once by this process. */
  concurrency: number;
  /** How often to release executions whose worker died (their lease expired). */
  recoveryIntervalMs: number;
  /** How often to look for due executions when no wake-up came (timers, lost wake-ups). */
  pollIntervalMs: number;
  /** How claims after a wake-up, a poll or a timer are packed onto busy workers (claim-pacing.ts); defaults below. */
  packing?: Partial<PackingOptions>;
}

export interface Worker {
  /**
   * A slot to run a just-started execution here and now, if this worker has room: the caller inserts
   * the execution already leased to `workerId`, then hands it over with `run` (or gives the slot back).
   */
  reserve(): LocalSlot | undefined;
  readonly workerId: string;
  /** Claims due executions now (something became runnable in this process). */
  wake(): void;
  /** For readiness: whether claiming works (it fails while the database is away, and recovers by itself). */
  health(): ComponentHealth;
  /**
   * Stops taking work at once, lets the steps in flight end, hands every held execution back (another
   * worker takes it now, not a lease later), and resolves when nothing is left. After `preemptAfterMs`
   * the steps still in flight are abandoned (see ExecutorDeps.preempt) so the hand-back is not late.
   */
  stop(options?: { preemptAfterMs?: number }): Promise<void>;
}

export interface LocalSlot {
  run(leased: LeasedExecution): void;
  release(): void;
}

/**
 * A worker process's loop. The queue is the executions table (CLAIM in store/sql.ts): when woken (a
 * commit anywhere published on WORK_WAKEUP_TOPIC), when a timer it parked a run on comes due, and at
 * every poll, it claims as many due executions as it has free slots, skipping rows another worker is
 * claiming — the sooner the more it holds, later when idle or saturated, so runs pack onto the busiest
 * worker and the others take the overflow (claim-pacing.ts). Independently, it releases executions whose worker died (RECOVER). A database outage makes
 * a claim fail; the next wake-up or poll simply tries again.
 */
export async function startWorker(deps: {
  executor: ExecutorDeps;
  db: Queryable;
  /** Where commits' wake-ups are heard; without it the worker only polls. */
  wakeups?: WakeupSource;
  /** Wakes every worker (after this one handed runs back or released dead workers' runs). */
  wakeOthers: Wakeups;
  logger: Logger;
  options: WorkerOptions;
}): Promise<Worker> {
  const { db, logger, options } = deps;
  const packing: PackingOptions = {
    deferMs: DEFAULT_CLAIM_DEFER_MS,
    saturatedAt: DEFAULT_SATURATED_AT,
    packAt: options.concurrency,
    utilization: options.packing?.utilization ?? ownUtilization(),
    ...options.packing,
  };
  const shutdown = new AbortController();
  const preempt = new AbortController();
  // Every run in progress listens for it.
  setMaxListeners(0, shutdown.signal, preempt.signal);

  let busy = 0;
  /** The last claim filled every free slot: there may be more due, claimed as slots free up. */
  let backlog = false;
  let claiming: Promise<void> | undefined;
  let again = false;
  let lastFailure: string | undefined;
  const running = new Set<Promise<void>>();

  /** The earliest time a run this worker parked comes due. */
  const MAX_TIMER_MS = 2_147_483_647;
  let timer: { at: number; handle: NodeJS.Timeout } | undefined;
  function claimAt(at: Date): void {
    const when = at.getTime();
    if (timer && timer.at <= when) return;
    if (timer) clearTimeout(timer.handle);
    // Capped at setTimeout's limit (~24.8 days): beyond it Node fires at once (a month's wait did).
    const handle = setTimeout(
      () => {
        timer = undefined;
        request();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, when - Date.now())),
    );
    handle.unref();
    timer = { at: when, handle };
  }

  const executor: ExecutorDeps = {
    ...deps.executor,
    shutdown: shutdown.signal,
    preempt: preempt.signal,
    released(at) {
      if (shutdown.signal.aborted) deps.wakeOthers.wake();
      else claimAt(at);
    },
  };

  function track(run: Promise<void>, executionId: string, onEnd: () => void): void {
    const tracked = run
      .catch((error: unknown) => logger.error({ err: error, executionId }, 'execution run failed; the recovery scan will release it'))
      .finally(() => {
        running.delete(tracked);
        onEnd();
      });
    running.add(tracked);
  }

  function slotFreed(): void {
    busy -= 1;
    if (backlog) kick();
  }

  async function claimOnce(): Promise<void> {
    const free = options.concurrency - busy;
    if (free <= 0) {
      backlog = true;
      return;
    }
    let rows: LeasedExecution[];
    try {
      rows = await claimRuns(db, executor.workerId, executor.leaseSeconds, free);
      lastFailure = undefined;
    } catch (error) {
      lastFailure = coerceError(error).message;
      logger.warn({ err: error }, 'claiming executions failed; trying again at the next wake-up or poll');
      return;
    }
    backlog = rows.length === free;
    if (backlog) again = true;
    for (const row of rows) {
      busy += 1;
      track(runClaimedExecution(executor, row), row.id, slotFreed);
    }
  }

  /** Claims now, or right after the claim in progress (wake-ups while claiming cost one more claim). */
  function kick(): void {
    if (shutdown.signal.aborted) return;
    if (claiming) {
      again = true;
      return;
    }
    claiming = (async () => {
      do {
        again = false;
        await claimOnce();
      } while (again && !shutdown.signal.aborted && busy < options.concurrency);
    })().finally(() => {
      claiming = undefined;
    });
  }

  /** A claim deferred by packing: later wake-ups share it, or bring it forward. */
  let deferred: { at: number; handle: NodeJS.Timeout } | undefined;
  /** Something may be due (a wake-up, the poll, a timer): claims now or a little later, as packing decides. */
  function request(): void {
    if (shutdown.signal.aborted) return;
    // Packing off (the default) or no room: claim now, without reading the loop's utilization.
    const delay =
      busy >= options.concurrency || packing.deferMs <= 0 ? 0 : claimDelayMs(busy, { ...packing, utilization: packing.utilization() });
    const at = Date.now() + delay;
    if (deferred && deferred.at <= at) return;
    if (deferred) clearTimeout(deferred.handle);
    deferred = undefined;
    if (delay <= 0) {
      kick();
      return;
    }
    deferred = {
      at,
      handle: setTimeout(() => {
        deferred = undefined;
        kick();
      }, delay),
    };
  }

  const recover = async () => {
    try {
      const released = await recoverRuns(db, 100);
      if (released.length > 0) {
        logger.info({ executions: released }, 'released executions whose worker died');
        deps.wakeOthers.wake();
        kick();
      }
      // Concurrency slots freed by a process that died before handing them on go to queued runs.
      await executor.flow?.sweep();
    } catch (error) {
      logger.warn({ err: error }, 'recovery scan failed');
    }
  };

  const poll = setInterval(request, options.pollIntervalMs);
  const recovery = setInterval(() => void recover(), options.recoveryIntervalMs);
  const unlisten = deps.wakeups ? await listenForWakeups(deps.wakeups, WORK_WAKEUP_TOPIC, request, logger) : undefined;
  // At once, not paced: whatever is due when a worker starts (after a restart) waits for nobody. The
  // worker is returned once this first claim is made.
  kick();
  await claiming;

  return {
    workerId: executor.workerId,
    wake: request,
    health: () => healthAfter(lastFailure),
    // Executions started in this process run here directly, in this worker's slots; should this
    // process die, their lease expires and the recovery scan releases them.
    reserve() {
      if (shutdown.signal.aborted || busy >= options.concurrency) return undefined;
      busy += 1;
      let settled = false;
      const settle = () => {
        if (settled) return false;
        settled = true;
        return true;
      };
      return {
        release() {
          if (settle()) slotFreed();
        },
        run(leased) {
          if (!settle()) throw new Error('a local slot runs one execution');
          track(runLeasedExecution(executor, leased), leased.id, slotFreed);
        },
      };
    },
    async stop(stopOptions) {
      shutdown.abort();
      const preemption =
        stopOptions?.preemptAfterMs === undefined ? undefined : setTimeout(() => preempt.abort(), stopOptions.preemptAfterMs);
      clearInterval(poll);
      clearInterval(recovery);
      if (timer) clearTimeout(timer.handle);
      if (deferred) clearTimeout(deferred.handle);
      await unlisten?.();
      await claiming;
      await Promise.allSettled([...running]);
      clearTimeout(preemption);
      await executor.writer.drain();
    },
  };
}
