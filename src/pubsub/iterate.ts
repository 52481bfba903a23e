import { on, type EventEmitter } from 'node:events';

/** Adapts a callback subscription into an iterator whose `return()` unsubscribes at once. */
export function iterate<T>(emitter: EventEmitter, unsubscribe: () => void): AsyncIterableIterator<T> {
  // `events.on` registers its listener eagerly and its `return()` settles a pending `next()`.
  const events = on(emitter, 'message') as AsyncIterableIterator<[T]>;
  const finish = async (): Promise<IteratorResult<T>> => {
    unsubscribe();
    await events.return?.();
    return { done: true, value: undefined };
  };
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      const result = await events.next();
      return result.done ? { done: true, value: undefined } : { done: false, value: result.value[0] };
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
