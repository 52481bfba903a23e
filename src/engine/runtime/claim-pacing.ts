import { performance } from 'node:perf_hooks';

/**
 * When a worker claims after a wake-up: at once, or a little later. Every worker hears every wake-up;
 * were all to claim at once, the runs would spread over them, and on shared cores each worker then
 * costs more per run (its own claims, its own smaller checkpoint batches, its own event loop). So work
 * is packed: a worker waits in proportion to its free slots, so at every split the busier one claims
 * first and the other's claim takes only what is left; a saturated worker waits the whole deferral, so
 * the others take the overflow. Wake-ups that arrive while a claim waits share it.
 */
export interface PackingOptions {
  /** The longest a worker waits before claiming (an idle or saturated one); 0: every worker claims at once. */
  deferMs: number;
  /** Utilization (0–1) from which a worker counts as saturated. */
  saturatedAt: number;
  /**
   * Runs held from which a worker with room claims at once; fewer wait in proportion. By default its
   * concurrency: whichever worker holds more claims sooner at every split, so the split is not stable
   * until one holds the work (a lower threshold lets two half-busy workers both claim at once).
   */
  packAt: number;
  /** This process's recent utilization (0–1): see ownUtilization. */
  utilization: () => number;
}

/**
 * An idle worker claims this long after a wake-up, unless a busier one took the run first. Off (0) by
 * default: on a quiet 2-core machine packing split no-op runs only 63/37 and measured slower than
 * spreading (2 workers / 1: 0.91 against 0.96; README, Benchmarks → scale), and it delays claims.
 */
export const DEFAULT_CLAIM_DEFER_MS = 0;
export const DEFAULT_SATURATED_AT = 0.8;

/** Milliseconds to wait before claiming, for a worker holding `busy` runs. */
export function claimDelayMs(busy: number, options: Omit<PackingOptions, 'utilization'> & { utilization: number }): number {
  if (options.deferMs <= 0) return 0;
  if (options.utilization >= options.saturatedAt) return options.deferMs;
  const short = Math.max(0, 1 - busy / Math.max(1, options.packAt));
  return options.deferMs * short;
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
