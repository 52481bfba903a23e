import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** CPU time a process has used so far (user + system), in ms, from /proc. */
export async function processCpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  // utime and stime, in clock ticks (100 per second on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** CPU time a process used between one call and the next (the first: since it started). */
export function cpuMeter(pid: number): () => Promise<number> {
  let last = 0;
  return async () => {
    const now = await processCpuMs(pid);
    const used = now - last;
    last = now;
    return used;
  };
}

/**
 * Busy time of all cores together so far (ms: user, nice, system, irq, softirq, steal — all but idle and
 * iowait), from the first line of /proc/stat; NaN where there is none. Read synchronously: a benchmark
 * reads it at the instant its measured window opens and closes.
 */
export function machineBusyMs(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    const busy = [0, 1, 2, 5, 6, 7].reduce((total, index) => total + (fields[index] ?? 0), 0);
    // Clock ticks, 100 per second on Linux.
    return (busy * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}
