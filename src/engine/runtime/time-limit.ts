/**
 * `running`, or — once `seconds` have passed first (undefined: no limit) — `abort` raised and `timedOut()`,
 * whether or not the work heeds its signal: a call that never answers cannot hold its run.
 */
export async function withinTimeLimit<T>(
  running: Promise<T>,
  seconds: number | undefined,
  abort: AbortController,
  timedOut: () => T,
): Promise<T> {
  if (seconds === undefined) return running;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve(timedOut());
    }, seconds * 1000);
  });
  try {
    return await Promise.race([running, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
