import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Peers } from '../store/claim-primacy.js';

/**
 * Which due runs a worker claims, and when: packing. Every worker hears every wake-up; were all to claim
 * at once, the runs would spread over them, and on shared cores each worker then costs more per run
 * (its own claims, its own smaller checkpoint batches, its own event loop). So a worker claims a run
 * only once it has been due for longer than the worker's patience, which depends on what it knows of
 * the others (store/claim-primacy.ts: who is the primary, who is saturated):
 *   - 0 for a worker alone: there is nobody to pack onto or to leave runs to;
 *   - 0 for the primary, saturated or not: it claims at once;
 *   - the deferral for any other worker with room, but 0 while the primary is saturated;
 *   - for another saturated worker, twice the deferral while another worker has room (that one takes
 *     the overflow first), 0 when none has: every worker is busy, so waiting only adds latency.
 * So at light load the primary takes every run and the others find none; while it is saturated the
 * workers with room claim at once beside it, and whichever claims first takes a run (a busy primary
 * hears and claims later); with every worker saturated, the runs spread over them. The primary once
 * waited twice the deferral too, to leave the overflow to the others; but those that had not yet seen it
 * saturated (a worker that runs nothing listens to no wake-ups and reads the others at its poll) did
 * not take those runs either, which then waited 200 ms or more: with two worker processes on the no-op
 * workflow, p99 ~300 ms and 0.77 of one worker's throughput (bench:engine); 0.92–0.93 once it stopped
 * waiting, with the fast no-op primary still counted saturated (busy ≥ 60 %) and its runs spread for
 * nothing; ~1.0 since saturation also asks that its runs wait for its loop (ownSaturation).
 */
export interface PackingOptions {
  /** The patience of a worker with room that is not the primary; 0: no packing, every worker claims every due run at once. */
  deferMs: number;
  /** Whether this worker is saturated now: see ownSaturation. */
  saturated: () => boolean;
  /** How old what a worker knows of the others may be before it reads them again (0: at every claim). */
  peersMaxAgeMs: number;
  /**
   * Runs a claim `ms` from now (tests pass one they run by hand); the default is a timer. A worker
   * with patience claims that long after a wake-up, when the runs it announced may be old enough.
   */
  schedule: (claim: () => Promise<void>, ms: number) => { cancel(): void };
}

/**
 * The patience of a worker with room that is not the primary. It costs nothing at light load (the
 * primary claims at once) and delays only the overflow; it must exceed how long the primary takes to
 * claim a run it heard of — at 20 ms, on a machine loaded 15–20, that was often longer and the runs
 * still spread (56/44); at 100 ms they packed (91/9).
 */
export const DEFAULT_CLAIM_DEFER_MS = 100;
/**
 * A CPU-bound primary on shared cores gets less than a core (its CPU time caps the reading): at 0.8 the
 * CPU workflow's runs stayed 85/15 on the primary on a quiet 2-core machine; at 0.6, 72/28.
 */
export const DEFAULT_SATURATED_AT = 0.6;

/**
 * How long, on average, what the loop has to do waits for it before a worker counts as saturated. Busy
 * alone does not say it: a fast no-op primary reads 0.5–0.8 busy while its runs wait ~1 ms for its loop
 * (they wait for the database), and counting it saturated spread its runs over a second worker process
 * for nothing (two made 0.92 of one); the CPU workflow's primary (6 × 10 ms steps) reads 0.9–1.0 busy
 * and its loop 40–200 ms late.
 */
export const DEFAULT_SATURATED_DELAY_MS = 10;

/**
 * The window a worker's utilization is read over. Over 200 ms a no-op primary reading ~0.45 on average
 * crossed DEFAULT_SATURATED_AT often enough that it kept deferring its own runs for the others (runs
 * waited 300–500 ms at p99 with two workers against 150 ms with one); over 1 s it stays where its load is.
 */
export const DEFAULT_UTILIZATION_WINDOW_MS = 1_000;

/**
 * How often a worker reads the others' state: a claim waits for the read at most this often, on the
 * worker's own lock connection, and a change of state is seen this late.
 */
export const DEFAULT_PEERS_MAX_AGE_MS = 250;

/** How long a run must have been due before this worker claims it (0: any due run). */
export function claimPatienceMs(worker: { primary: boolean; saturated: boolean }, peers: Peers, deferMs: number): number {
  if (deferMs <= 0 || peers.others === 0 || worker.primary) return 0;
  if (worker.saturated) return peers.othersWithRoom > 0 ? 2 * deferMs : 0;
  return peers.primarySaturated ? 0 : deferMs;
}

/** How long a worker that leaves new runs to the primary goes on listening to wake-ups after it last ran one. */
export const LISTEN_AFTER_BUSY_MS = 10_000;

/**
 * Whether a worker listens to wake-ups now (times in ms, one clock): when it claims at once or is
 * saturated, and until LISTEN_AFTER_BUSY_MS after it last ran a run. Otherwise it leaves new runs to the
 * primary and finds what is left for it at its poll: hearing every start's wake-up would only wake its
 * process for nothing, on cores the primary needs.
 */
export function listensToWakeups(worker: { patienceMs: number; saturated: boolean; lastBusyAt: number; now: number }): boolean {
  return worker.patienceMs === 0 || worker.saturated || worker.now - worker.lastBusyAt < LISTEN_AFTER_BUSY_MS;
}

/** Claims on a timer (the default PackingOptions.schedule). */
export function scheduleClaim(claim: () => Promise<void>, ms: number): { cancel(): void } {
  const handle = setTimeout(() => void claim(), ms);
  return { cancel: () => clearTimeout(handle) };
}

/** A worker's own saturation, read by packing; stop() ends its loop-delay sampler. */
export interface OwnSaturation {
  saturated(): boolean;
  stop(): void;
}

/**
 * Whether this worker is saturated: over the window, its loop was busy with its own work (ownUtilization)
 * and what the loop had to do waited for it (loopDelay): its runs are waiting for it, not for the
 * database.
 */
export function ownSaturation(
  options: { busyAt: number; delayMs: number; windowMs: number } = {
    busyAt: DEFAULT_SATURATED_AT,
    delayMs: DEFAULT_SATURATED_DELAY_MS,
    windowMs: DEFAULT_UTILIZATION_WINDOW_MS,
  },
): OwnSaturation {
  const utilization = ownUtilization(options.windowMs);
  const delay = loopDelay(options.windowMs);
  return {
    saturated: () => utilization() >= options.busyAt && delay.read() >= options.delayMs,
    stop: delay.stop,
  };
}

/** The loop delay's sampling interval: its histogram reads each interval plus the delay. */
const LOOP_DELAY_RESOLUTION_MS = 10;

/**
 * The mean delay of this process's event loop over the last `windowMs` or so, in ms, read like
 * ownUtilization: a sampler (a native timer, which keeps no process alive) whose histogram starts
 * again with each window.
 */
export function loopDelay(windowMs = DEFAULT_UTILIZATION_WINDOW_MS): { read(): number; stop(): void } {
  const histogram = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  histogram.enable();
  let since = performance.now();
  let last = 0;
  return {
    read() {
      const at = performance.now();
      // No sample yet (a loop blocked all along): the window goes on until the late one is in.
      if (at - since < windowMs || histogram.count === 0) return last;
      last = Math.max(0, histogram.mean / 1e6 - LOOP_DELAY_RESOLUTION_MS);
      histogram.reset();
      since = at;
      return last;
    },
    stop: () => histogram.disable(),
  };
}

/**
 * How busy this process is with its own work over the last `windowMs` or so: the event loop's
 * utilization (perf_hooks), but no more than the CPU time the process used in that time. On a machine
 * whose other processes take the cores, a loop is "busy" while descheduled mid-callback; its own CPU
 * time says whether its work fills it. Read cheaply: the window moves on only once it has passed.
 */
export function ownUtilization(windowMs = DEFAULT_UTILIZATION_WINDOW_MS): () => number {
  let since = { loop: performance.eventLoopUtilization(), cpu: process.cpuUsage(), at: performance.now() };
  let last = 0;
  return () => {
    const at = performance.now();
    if (at - since.at < windowMs) return last;
    const loop = performance.eventLoopUtilization(since.loop).utilization;
    const cpu = process.cpuUsage(since.cpu);
    last = Math.min(loop, (cpu.user + cpu.system) / 1000 / (at - since.at));
    since = { loop: performance.eventLoopUtilization(), cpu: process.cpuUsage(), at };
    return last;
  };
}
