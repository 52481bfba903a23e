import { EventEmitter } from 'node:events';
import { iterate } from './iterate.js';
import type { PubSub } from './types.js';

const PUBLISHED: Promise<void> = Promise.resolve();

/** One process serves everyone: nothing is ever lost between publisher and subscriber, so no resync. */
export function createInProcessPubSub(): PubSub {
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  return {
    publish(topic, payload) {
      // Subscribers get a copy, as they would from Redis; most events (every step's) have nobody listening,
      // and then the answer is a promise made once (the engine publishes after every commit).
      if (bus.listenerCount(topic) === 0) return PUBLISHED;
      try {
        bus.emit(topic, JSON.parse(JSON.stringify(payload)) as unknown);
        return PUBLISHED;
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    async subscribe<T>(topic: string) {
      const emitter = new EventEmitter();
      const forward = (message: unknown) => emitter.emit('message', message);
      bus.on(topic, forward);
      return iterate<T>(emitter, () => bus.off(topic, forward));
    },
    onResync() {
      return () => undefined;
    },
    async ping() {},
    async close() {
      bus.removeAllListeners();
    },
  };
}
