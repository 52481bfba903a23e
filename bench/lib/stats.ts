import { machineBusyMs } from './process-cpu.js';
/** Latency percentiles and rates for the benchmarks. */

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index] ?? Number.NaN;
}

export interface RunStats {
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export function summarise(latenciesMs: readonly number[], seconds: number): RunStats {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return { count: sorted.length, seconds, perSecond: sorted.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/**
 * Runs `warmup` then `total` tasks keeping `inFlight` of them going, and returns the latencies of the
 * last `total` (in ms), the seconds from the first of them starting to the last ending, the CPU time
 * this process used meanwhile (ms, user + system) and the whole machine's (every process: the database's
 * too). The warm-up flows straight into the measured tasks, so
 * these meet a steady state rather than all starting at once. `onMeasured` is called as the first measured
 * task starts (to read other processes' meters then).
 */
export async function closedLoop(
  total: number,
  inFlight: number,
  task: (index: number) => Promise<void>,
  warmup = 0,
  onMeasured?: () => void,
): Promise<{ latencies: number[]; seconds: number; cpuMs: number; machineCpuMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  let started = performance.now();
  let cpu = process.cpuUsage();
  let machine = machineBusyMs();
  const lane = async () => {
    while (next < warmup + total) {
      const index = next++;
      const t0 = performance.now();
      if (index === warmup) {
        started = t0;
        cpu = process.cpuUsage();
        machine = machineBusyMs();
        onMeasured?.();
      }
      await task(index);
      if (index >= warmup) latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const used = process.cpuUsage(cpu);
  return {
    latencies,
    seconds: (performance.now() - started) / 1000,
    cpuMs: (used.user + used.system) / 1000,
    machineCpuMs: machineBusyMs() - machine,
  };
}

export const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
