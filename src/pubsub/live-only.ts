import type { PubSub } from './types.js';

/**
 * A live-only feed (no log to replay from) that completes when the live feed had a gap: its subscriber
 * may have missed messages, so it refreshes from queries and subscribes again, as after a server
 * restart, rather than go on believing it saw everything.
 */
export function endOnResync<T>(live: AsyncIterableIterator<T>, pubsub: Pick<PubSub, 'onResync'>): AsyncIterableIterator<T> {
  let ended = false;
  let gapSeen = false;
  let wake: (() => void) | undefined;
  const removeListener = pubsub.onResync(() => {
    gapSeen = true;
    wake?.();
  });
  const finish = async (): Promise<IteratorResult<T>> => {
    if (!ended) {
      ended = true;
      removeListener();
      // Also settles a `next()` still waiting on the live feed.
      await live.return?.();
    }
    return { done: true, value: undefined };
  };
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      if (ended) return { done: true, value: undefined };
      if (gapSeen) return finish();
      // A fresh waiter per call: one shared promise would keep a reaction per message until a gap.
      const gap = new Promise<'gap'>((resolve) => {
        wake = () => resolve('gap');
      });
      try {
        const result = await Promise.race([live.next(), gap]);
        return result === 'gap' || result.done ? await finish() : result;
      } finally {
        wake = undefined;
      }
    },
    return: finish,
    async throw(error?: unknown) {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
