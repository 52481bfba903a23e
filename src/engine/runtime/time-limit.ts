/**
 * `running`, or — once `seconds` have passed first (undefined: no limit) — `abort` raised and `timedOut()`,
 * whether or not the work heeds its signal: a call that never answers cannot hold its run.
 */
export function withinTimeLimit<T>(
  running: Promise<T>,
  seconds: number | undefined,
  abort: { abort(): void },
  timedOut: () => T,
): Promise<T> {
  if (seconds === undefined) return running;
  // One promise settled by whichever comes first: fewer allocations per attempt than Promise.race and a timeout promise.
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      abort.abort();
      resolve(timedOut());
    }, seconds * 1000);
    running.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the work's own rejection, passed on unchanged
        reject(error);
      },
    );
  });
}
