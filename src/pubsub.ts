import { EventEmitter, on } from 'node:events';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import { redactUrl } from './config.js';
import { StartupError, coerceError, systemErrorCode } from './errors.js';

/**
 * Live notifications between processes. Redis carries them between API nodes (any node serves any
 * subscriber); without Redis one process serves everyone in memory. Nothing durable travels here:
 * a subscriber that missed a message catches up from the database.
 *
 * Payloads are JSON-serialised in both implementations, so what a subscriber receives never depends
 * on which one is configured.
 */
export interface PubSub {
  publish(topic: string, payload: unknown): Promise<void>;
  /**
   * Resolves once the subscription is live: a message published after that is delivered. Callers that
   * must not miss anything subscribe first, then read the current state, then consume.
   */
  subscribe<T>(topic: string): Promise<AsyncIterableIterator<T>>;
  /** For readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

type Unsubscribe = () => unknown;

/** Adapts a callback subscription into an iterator whose `return()` unsubscribes at once. */
function iterate<T>(emitter: EventEmitter, unsubscribe: Unsubscribe): AsyncIterableIterator<T> {
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

export function createInProcessPubSub(): PubSub {
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  return {
    async publish(topic, payload) {
      bus.emit(topic, JSON.parse(JSON.stringify(payload)) as unknown);
    },
    async subscribe<T>(topic: string) {
      const emitter = new EventEmitter();
      const forward = (message: unknown) => emitter.emit('message', message);
      bus.on(topic, forward);
      return iterate<T>(emitter, () => bus.off(topic, forward));
    },
    async ping() {},
    async close() {
      bus.removeAllListeners();
    },
  };
}

export async function createRedisPubSub(url: string): Promise<PubSub> {
  const options = { lazyConnect: true, maxRetriesPerRequest: 3 };
  const publisher = new Redis(url, options);
  // A ready check racing SUBSCRIBE drops the connection (see STACK.md): none on the subscriber.
  const subscriber = new Redis(url, { ...options, enableReadyCheck: false });
  let lastError: Error | undefined;
  for (const client of [publisher, subscriber]) {
    // Connection errors are retried by ioredis and surface through ping() (readiness).
    client.on('error', (error: Error) => {
      lastError = error;
    });
  }
  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
  } catch (error) {
    publisher.disconnect();
    subscriber.disconnect();
    const reason = systemErrorCode(lastError) ?? lastError?.message ?? coerceError(error).message;
    throw new StartupError('REDIS_URL', `REDIS_URL: cannot connect to ${redactUrl(url)} (${reason})`, { cause: error });
  }
  const redis = new RedisPubSub({ publisher, subscriber });
  return {
    publish: (topic, payload) => redis.publish(topic, payload),
    async subscribe<T>(topic: string) {
      const emitter = new EventEmitter();
      let id: number | undefined;
      // The iterator listens before SUBSCRIBE is sent, so nothing delivered after it is lost.
      const iterator = iterate<T>(emitter, () => id !== undefined && redis.unsubscribe(id));
      id = await redis.subscribe<T>(topic, (message) => emitter.emit('message', message));
      return iterator;
    },
    async ping() {
      if (subscriber.status !== 'ready') throw new Error(`redis subscriber connection is ${subscriber.status}`);
      await publisher.ping();
    },
    async close() {
      await redis.close();
    },
  };
}
