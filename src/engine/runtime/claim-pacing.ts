import { performance } from 'node:perf_hooks';

/**
 * Which due runs a worker claims, and when: packing. Every worker hears every wake-up; were all to claim
 * at once, the runs would spread over them, and on shared cores each worker then costs more per run
 * (its own claims, its own smaller checkpoint batches, its own event loop). So one rule: a worker claims
 * a run only once it has been due for longer than the worker's patience —
 *   - 0 for the primary worker (claim-primacy.ts) while it has room in its event loop: it claims at once;
 *   - the deferral for any other worker with room;
 *   - twice the deferral for a saturated worker, the primary included.
 * So at light load the primary takes every run and the others find none; runs a saturated primary
 * leaves are taken a deferral later by workers with room; with every worker saturated, by anyone.
 */
export interface PackingOptions {
  /** The patience of a worker with room that is not the primary; 0: no packing, every worker claims every due run at once. */
  deferMs: number;
  /** Utilization (0–1) from which a worker counts as saturated. */
  saturatedAt: number;
  /** This process's recent utilization (0–1): see ownUtilization. */
  utilization: () => number;
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
 * CPU workflow's runs stayed 85/15 on the primary on a quiet 2-core machine; at 0.6, 72/28. The no-op
 * primary reads ~0.45 there.
 */
export const DEFAULT_SATURATED_AT = 0.6;

/** How long a run must have been due before this worker claims it (0: any due run). */
export function claimPatienceMs(
  worker: { primary: boolean; utilization: number },
  options: Pick<PackingOptions, 'deferMs' | 'saturatedAt'>,
): number {
  if (options.deferMs <= 0) return 0;
  if (worker.utilization >= options.saturatedAt) return 2 * options.deferMs;
  return worker.primary ? 0 : options.deferMs;
}

/** Claims on a timer (the default PackingOptions.schedule). */
export function scheduleClaim(claim: () => Promise<void>, ms: number): { cancel(): void } {
  const handle = setTimeout(() => void claim(), ms);
  return { cancel: () => clearTimeout(handle) };
}

/**
 * How busy this process is with its own work over the last `windowMs` or so: the event loop's
 * utilization (perf_hooks), but no more than the CPU time the process used in that time. On a machine
 * whose other processes take the cores, a loop is "busy" while descheduled mid-callback; its own CPU
 * time says whether its work fills it. Read cheaply: the window moves on only once it has passed.
 */
export function ownUtilization(windowMs = 200): () => number {
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
