/**
 * How long a test waits by default for something another process, loop or connection produces. Waits end
 * as soon as the condition holds, so this only bounds a failure: it is set for a fresh-clone CI on two
 * loaded cores (jest's two workers beside PostgreSQL, Redis, Chromium and child processes), where 5-10 s
 * for a delivery that crosses a worker's loop, a NOTIFY and a websocket was seen to run out.
 */
export const WAIT_MS = 30_000;

/** Polls until `check` holds (or fails after `timeoutMs`): for conditions reached by another process. */
export async function eventually<T>(what: string, probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Calls `produce(round)` until `delivery` settles, and returns it: for a subscription that becomes live at a
 * moment the client is not told of, so each round produces something it would deliver once live. The
 * rounds are paced by `eventually`; fails after `timeoutMs` without a delivery.
 */
export async function produceUntilDelivered<T>(
  what: string,
  delivery: Promise<T>,
  produce: (round: number) => Promise<unknown>,
  timeoutMs = WAIT_MS,
): Promise<T> {
  let settled = false;
  delivery.then(
    () => (settled = true),
    () => (settled = true),
  );
  let round = 0;
  await eventually(
    what,
    async () => {
      if (!settled) await produce(round++);
      return settled;
    },
    (done) => done,
    timeoutMs,
  );
  return delivery;
}
