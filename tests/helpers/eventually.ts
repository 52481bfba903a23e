/** Polls until `check` holds (or fails after `timeoutMs`): for conditions reached by another process. */
export async function eventually<T>(what: string, probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
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
  timeoutMs = 10_000,
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
