import { EventEmitter } from 'node:events';
import { iterate } from './iterate.js';
import type { PubSub } from './types.js';

/** One process serves everyone: nothing is ever lost between publisher and subscriber, so no resync. */
export function createInProcessPubSub(): PubSub {
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  return {
    async publish(topic, payload) {
      // Subscribers get a copy, as they would from Redis; most events (every step's) have nobody listening.
      if (bus.listenerCount(topic) === 0) return;
      bus.emit(topic, JSON.parse(JSON.stringify(payload)) as unknown);
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
