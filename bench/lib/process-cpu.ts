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
