import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { coerceError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { healthAfter, type ComponentHealth } from '../health.js';
import type { Queryable } from '../../infra/queryable.js';
import { claimRuns, recoverRuns } from '../store/leases.js';
import { listenForWakeups, listenWhileWanted, WORK_WAKEUP_TOPIC, type WakeupSource, type Wakeups } from '../wakeups.js';
import {
  claimPatienceMs,
  DEFAULT_CLAIM_DEFER_MS,
  DEFAULT_PEERS_MAX_AGE_MS,
  listensToWakeups,
  ownSaturation,
  scheduleClaim,
  type OwnSaturation,
  type PackingOptions,
} from './claim-pacing.js';
import type { ClaimPrimacy } from '../store/claim-primacy.js';
import { runClaimedExecution, runLeasedExecution, type ExecutorDeps, type LeasedExecution } from './executor.js';
import { withFields } from '../../infra/with-fields.js';
import { PendingAdmission } from './admission.js';

export interface WorkerOptions {
  /** Executions run at once by this process. */
  concurrency: number;
  /** How often to release executions whose worker died (their lease expired). */
  recoveryIntervalMs: number;
  /** How often to look for due executions when no wake-up came (timers, lost wake-ups). */
  pollIntervalMs: number;
  /** How claims are packed onto the primary worker (claim-pacing.ts); defaults below. */
  packing?: Partial<PackingOptions>;
}

export interface Worker {
  /**
   * A slot to run a just-started execution here and now, if this worker has room: the caller inserts
   * the execution already leased to `workerId`, then hands it over with `run` (or gives the slot back).
   */
  reserve(): LocalSlot | undefined;
  readonly workerId: string;
  /**
   * Claims due executions (something became runnable in this process): now, or once they are old enough
   * for this worker. Resolves when the claim is made or scheduled.
   */
  wake(): Promise<void>;
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
  /** Runs it while its insert commits (admission.ts): the caller admits it once committed, or refuses it. */
  runAhead(leased: LeasedExecution): PendingAdmission;
  release(): void;
}

/** A worker with patience that keeps finding nothing looks up to this many times less often. */
const MAX_BACKOFF = 4;

/**
 * A worker process's loop. The queue is the executions table (CLAIM in store/sql.ts): when woken (a
 * commit anywhere published on WORK_WAKEUP_TOPIC), when a timer it parked a run on comes due, and at
 * every poll, it claims as many due executions as it has free slots, skipping rows another worker is
 * claiming. Packing (claim-pacing.ts): the primary worker claims at once, the others only runs left
 * unclaimed for their patience, so they claim that long after a wake-up (and, while they find nothing,
 * up to MAX_BACKOFF times less often); one that leaves new runs to the primary and has run none for
 * LISTEN_AFTER_BUSY_MS (claim-pacing.ts) does not listen to wake-ups at all, and finds what is left for it at its poll. Independently, it releases
 * executions whose worker died (RECOVER) and contends to be the primary. A database outage makes a
 * claim fail; the next wake-up or poll simply tries again.
 */
export async function startWorker(deps: {
  executor: ExecutorDeps;
  db: Queryable;
  /** Where commits' wake-ups are heard; without it the worker only polls. */
  wakeups?: WakeupSource;
  /** Wakes every worker (after this one handed runs back or released dead workers' runs). */
  wakeOthers: Wakeups;
  /** Whether this worker is the one that claims at once (with packing on). */
  primacy: ClaimPrimacy;
  logger: Logger;
  options: WorkerOptions;
}): Promise<Worker> {
  const { db, logger, options } = deps;
  /** The options' reading of saturation, or this worker's own (its sampler stopped with the worker). */
  const saturation: OwnSaturation = options.packing?.saturated
    ? { saturated: options.packing.saturated, stop: () => undefined }
    : ownSaturation();
  const packing: PackingOptions = {
    deferMs: DEFAULT_CLAIM_DEFER_MS,
    peersMaxAgeMs: DEFAULT_PEERS_MAX_AGE_MS,
    saturated: saturation.saturated,
    schedule: scheduleClaim,
    ...options.packing,
  };
  const packs = packing.deferMs > 0;
  /** When this worker last ran a run, as patience saw it. */
  let lastBusyAt = -Infinity;
  const source = deps.wakeups;
  /** Heard while this worker would claim new runs at once, or ran some lately (see patience). */
  const wakeups = source && listenWhileWanted(() => listenForWakeups(source, WORK_WAKEUP_TOPIC, () => void request(), logger));
  /** How long a run must have been due for this worker to claim it, now (claim-pacing.ts). */
  async function patience(): Promise<number> {
    if (!packs) return 0;
    const saturated = packing.saturated();
    const peers = await deps.primacy.peers(saturated, packing.peersMaxAgeMs);
    const ms = claimPatienceMs({ primary: deps.primacy.held(), saturated }, peers, packing.deferMs);
    // One that ran some lately (the primary was saturated) listens, to take its share as soon as they come,
    // even between two of its runs.
    const now = performance.now();
    if (busy > 0) lastBusyAt = now;
    void wakeups?.want(listensToWakeups({ patienceMs: ms, saturated, lastBusyAt, now }));
    return ms;
  }
  /** Claims with patience that found nothing: the next waits this many times longer (up to MAX_BACKOFF). */
  let backoff = 1;
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
        // Node fires a timer early by as long as its loop's clock was stale when the timer was set: a claim
        // now would find the run not yet due, and nothing else would wake this worker before the poll.
        if (Date.now() < when) claimAt(at);
        else void request();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, when - Date.now())),
    );
    handle.unref();
    timer = { at: when, handle };
  }

  const executor = withFields(deps.executor, {
    shutdown: shutdown.signal,
    preempt: preempt.signal,
    released(at: Date) {
      if (shutdown.signal.aborted) deps.wakeOthers.wake();
      else claimAt(at);
    },
  });

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
    if (backlog) void kick();
  }

  async function claimOnce(): Promise<void> {
    const dueFor = options.concurrency - busy > 0 ? await patience() : 0;
    // Told to stop while reading the other workers: a draining worker takes nothing new.
    if (shutdown.signal.aborted) return;
    // Counted after the wait for patience: a local start may have taken a slot meanwhile.
    const free = options.concurrency - busy;
    if (free <= 0) {
      backlog = true;
      return;
    }
    let rows: LeasedExecution[];
    try {
      rows = await claimRuns(db, executor.workerId, executor.leaseSeconds, free, dueFor);
      lastFailure = undefined;
    } catch (error) {
      lastFailure = coerceError(error).message;
      logger.warn({ err: error }, 'claiming executions failed; trying again at the next wake-up or poll');
      return;
    }
    backlog = rows.length === free;
    if (backlog) again = true;
    if (rows.length > 0) backoff = 1;
    else if (dueFor > 0) backoff = Math.min(MAX_BACKOFF, backoff * 2);
    for (const row of rows) {
      busy += 1;
      track(runClaimedExecution(executor, row), row.id, slotFreed);
    }
  }

  /** Claims now, or right after the claim in progress (wake-ups while claiming cost one more claim). */
  function kick(): Promise<void> {
    if (shutdown.signal.aborted) return Promise.resolve();
    if (claiming) {
      again = true;
      return claiming;
    }
    claiming = (async () => {
      do {
        again = false;
        await claimOnce();
      } while (again && !shutdown.signal.aborted && busy < options.concurrency);
    })().finally(() => {
      claiming = undefined;
    });
    return claiming;
  }

  /** A claim deferred by packing: later wake-ups share it, or bring it forward. */
  let deferred: { at: number; cancel(): void } | undefined;
  /** Runs may have become due (a wake-up, a timer): claims now, or once they are old enough for this worker. */
  async function request(): Promise<void> {
    if (shutdown.signal.aborted) return;
    // No room: claim now, which only notes the backlog for when a slot frees.
    const delay = busy >= options.concurrency ? 0 : (await patience()) * backoff;
    if (shutdown.signal.aborted) return;
    const at = Date.now() + delay;
    if (deferred && deferred.at <= at) return;
    deferred?.cancel();
    deferred = undefined;
    if (delay <= 0) {
      await kick();
      return;
    }
    const entry = {
      at,
      cancel: packing.schedule(() => {
        if (deferred === entry) deferred = undefined;
        return kick();
      }, delay).cancel,
    };
    deferred = entry;
  }

  const recover = async () => {
    try {
      const released = await recoverRuns(db, 100);
      if (released.length > 0) {
        logger.info({ executions: released }, 'released executions whose worker died');
        deps.wakeOthers.wake();
        void kick();
      }
      // Concurrency slots freed by a process that died before handing them on go to queued runs.
      await executor.flow?.sweep();
    } catch (error) {
      logger.warn({ err: error }, 'recovery scan failed');
    }
  };

  // The poll claims at once what is old enough for this worker: it answers no particular wake-up.
  const poll = setInterval(() => void kick(), options.pollIntervalMs);
  const recovery = setInterval(() => {
    void recover();
    if (packs) void deps.primacy.contend();
  }, options.recoveryIntervalMs);
  await wakeups?.want(true);
  // At once, not after a wake-up: whatever is due when a worker starts (after a restart) and old enough
  // for it waits for nobody. The worker is returned once this first claim is made.
  if (packs) await deps.primacy.contend();
  await kick();

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
        runAhead(leased) {
          if (!settle()) throw new Error('a local slot runs one execution');
          const admission = new PendingAdmission(leased.id, executor.writer.publish);
          track(runLeasedExecution(executor, leased, admission), leased.id, slotFreed);
          return admission;
        },
      };
    },
    async stop(stopOptions) {
      shutdown.abort();
      const preemption =
        stopOptions?.preemptAfterMs === undefined ? undefined : setTimeout(() => preempt.abort(), stopOptions.preemptAfterMs);
      clearInterval(poll);
      clearInterval(recovery);
      saturation.stop();
      if (timer) clearTimeout(timer.handle);
      deferred?.cancel();
      // Another worker becomes the primary at its next recovery scan.
      await deps.primacy.release();
      await wakeups?.stop();
      await claiming;
      await Promise.allSettled([...running]);
      clearTimeout(preemption);
      await executor.writer.drain();
    },
  };
}
