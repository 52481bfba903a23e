import { EventEmitter } from 'node:events';
import { Redis, type RedisOptions } from 'ioredis';
import { redactUrl } from '../config.js';
import { StartupError, coerceError, systemErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { iterate } from './iterate.js';
import { PubSubError, type PubSub } from './types.js';

/*
 * A small adapter straight over ioredis rather than graphql-redis-subscriptions. That library fires
 * UNSUBSCRIBE without awaiting it (a Redis blink became an unhandled rejection that killed the
 * process), registers its listener only once SUBSCRIBE is acknowledged (a race), leaves
 * resubscription to ioredis without telling anyone that messages were lost meanwhile, and queues
 * publishes for as long as ioredis retries. We use two of its calls; owning them is fewer moving parts
 * than wrapping them: one subscriber connection, a topic → handlers map, every command's failure caught.
 */

/** Longest any command may take: a publish must never hold its caller up for long (it is best-effort). */
const COMMAND_TIMEOUT_MS = 2_000;

/** Reconnect quickly after a blink, then at least once a second: subscribers resync as soon as Redis is back. */
const retryStrategy = (attempt: number): number => Math.min(50 * 2 ** Math.min(attempt - 1, 5), 1_000);

const CONNECTION: RedisOptions = {
  lazyConnect: true,
  // Nothing waits for a connection: while Redis is down a command fails at once (publishing is
  // best-effort) and subscriptions are re-established from our own map when it is back.
  enableOfflineQueue: false,
  commandTimeout: COMMAND_TIMEOUT_MS,
  maxRetriesPerRequest: 1,
  retryStrategy,
};

const SUBSCRIBER: RedisOptions = {
  ...CONNECTION,
  // ioredis's ready check (INFO) racing a SUBSCRIBE drops the connection: "Connection in subscriber
  // mode, only subscriber commands may be used".
  enableReadyCheck: false,
  // Our topic map is the one truth: after a reconnection we SUBSCRIBE it whole and announce a resync;
  // a stale UNSUBSCRIBE resent by ioredis after that would silently undo it.
  autoResubscribe: false,
  autoResendUnfulfilledCommands: false,
};

export interface RedisPubSubOptions {
  /** Connection losses, resyncs and failed subscription commands; publish failures are the caller's to log. */
  logger?: Pick<Logger, 'debug' | 'info' | 'warn'>;
}

type Handler = (message: unknown) => void;

export async function createRedisPubSub(url: string, options: RedisPubSubOptions = {}): Promise<PubSub> {
  const { logger } = options;
  // The publishes of one turn of the event loop (a checkpoint's events, two topics each) leave in one
  // write: a syscall per PUBLISH cost a worker more CPU than the rest of its checkpointing.
  const publisher = new Redis(url, { ...CONNECTION, enableAutoPipelining: true });
  const subscriber = new Redis(url, SUBSCRIBER);
  const handlers = new Map<string, Set<Handler>>();
  const resyncListeners = new Set<() => void>();
  let connected = false;
  let everConnected = false;
  let closing = false;
  let lastError: Error | undefined;

  for (const [role, client] of [
    ['publisher', publisher],
    ['subscriber', subscriber],
  ] as const) {
    // ioredis retries connection errors itself; they surface through ping() (readiness) and the logs.
    client.on('error', (error: Error) => {
      lastError = error;
      logger?.debug({ err: error, role }, 'redis connection error');
    });
  }

  /**
   * SUBSCRIBE / UNSUBSCRIBE without ever rejecting. After a failure the next 'ready' subscribes the map
   * afresh; a SUBSCRIBE that failed on a connection still up (a timed-out command) reconnects it, so
   * that 'ready' comes and the subscription is not left dead in silence.
   */
  const send = async (operation: 'subscribe' | 'unsubscribe', topics: string[]): Promise<boolean> => {
    if (subscriber.status !== 'ready') return false;
    try {
      await (operation === 'subscribe' ? subscriber.subscribe(...topics) : subscriber.unsubscribe(...topics));
      return true;
    } catch (error) {
      const cause = new PubSubError(
        operation,
        topics.length === 1 ? topics[0] : undefined,
        `${operation} failed: ${coerceError(error).message}`,
        { cause: error },
      );
      logger?.warn({ err: cause, topics: topics.length }, `redis ${operation} failed; retried when the connection is back`);
      if (operation === 'subscribe' && subscriber.status === 'ready') subscriber.disconnect(true);
      return false;
    }
  };

  const resync = async (): Promise<void> => {
    const topics = [...handlers.keys()];
    // Lost again before it was done: the next 'ready' does it again.
    if (topics.length > 0 && !(await send('subscribe', topics))) return;
    logger?.info({ topics: topics.length }, 'redis is back: subscriptions live again, subscribers re-read what they follow');
    for (const listener of resyncListeners) {
      try {
        listener();
      } catch (error) {
        logger?.warn({ err: coerceError(error) }, 'a resync listener failed');
      }
    }
  };

  subscriber.on('ready', () => {
    connected = true;
    if (!everConnected) {
      everConnected = true;
      return;
    }
    void resync();
  });
  subscriber.on('close', () => {
    if (connected && !closing)
      logger?.warn({ url: redactUrl(url) }, 'redis connection lost: live notifications paused, subscribers fall back to the database');
    connected = false;
  });
  subscriber.on('message', (topic: string, raw: string) => {
    const listeners = handlers.get(topic);
    if (!listeners) return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch (error) {
      logger?.warn({ err: coerceError(error), topic }, 'dropped a pub/sub message that is not JSON');
      return;
    }
    for (const handler of listeners) handler(message);
  });

  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
  } catch (error) {
    publisher.disconnect();
    subscriber.disconnect();
    const reason = systemErrorCode(lastError) ?? lastError?.message ?? coerceError(error).message;
    throw new StartupError('REDIS_URL', `REDIS_URL: cannot connect to ${redactUrl(url)} (${reason})`, { cause: error });
  }

  const release = (topic: string, handler: Handler): void => {
    const listeners = handlers.get(topic);
    if (!listeners?.delete(handler) || listeners.size > 0) return;
    handlers.delete(topic);
    // While disconnected there is nothing to undo: the next connection subscribes the map only.
    void send('unsubscribe', [topic]);
  };

  return {
    async publish(topic, payload) {
      try {
        await publisher.publish(topic, JSON.stringify(payload ?? null));
      } catch (error) {
        throw new PubSubError('publish', topic, `publish to ${topic} failed: ${coerceError(error).message}`, { cause: error });
      }
    },
    async subscribe<T>(topic: string) {
      const emitter = new EventEmitter();
      const handler: Handler = (message) => emitter.emit('message', message);
      // The iterator listens before SUBSCRIBE is sent, so nothing delivered after it is lost.
      const iterator = iterate<T>(emitter, () => release(topic, handler));
      const listeners = handlers.get(topic) ?? new Set<Handler>();
      listeners.add(handler);
      handlers.set(topic, listeners);
      // Sent for every subscriber (Redis ignores a repeat) so that each resolves once it is live.
      // If Redis is down it resolves now; the resync after reconnection covers the gap.
      await send('subscribe', [topic]);
      return iterator;
    },
    onResync(listener) {
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    },
    async ping() {
      if (subscriber.status !== 'ready') throw new PubSubError('ping', undefined, `redis subscriber connection is ${subscriber.status}`);
      try {
        await publisher.ping();
      } catch (error) {
        throw new PubSubError('ping', undefined, `redis ping failed: ${coerceError(error).message}`, { cause: error });
      }
    },
    async close() {
      closing = true;
      handlers.clear();
      resyncListeners.clear();
      subscriber.disconnect();
      try {
        await publisher.quit();
      } catch (error) {
        logger?.debug({ err: coerceError(error) }, 'redis quit failed; disconnecting');
        publisher.disconnect();
      }
    },
  };
}
