import type { Logger } from '../logger.js';
import type { EventPublisher } from './ports.js';

/**
 * Waking the processes that have new work, without NOTIFY: a transaction that notifies serialises on
 * PostgreSQL's database-wide commit lock. Whoever commits work publishes on its topic after the commit
 * (through Redis, every process hears it); the listeners also poll, so a lost wake-up costs at most a
 * poll interval, never a run.
 */

/** Domain events or event waits' lookbacks await the event dispatchers. */
export const DISPATCH_WAKEUP_TOPIC = 'switchyard:dispatch-wakeup';
/** An execution became runnable (started, signalled, handed back, released): the workers claim. */
export const WORK_WAKEUP_TOPIC = 'switchyard:work-wakeup';

export interface Wakeups {
  /** Something was committed for the listeners; coalesced, so calling it often costs one publish. */
  wake(): void;
}

export function createWakeups(publisher: EventPublisher, topic: string, logger: Logger): Wakeups {
  let scheduled = false;
  return {
    wake() {
      if (scheduled) return;
      scheduled = true;
      // Every commit of this turn of the event loop shares one message.
      setImmediate(() => {
        scheduled = false;
        publisher
          .publish(topic, {})
          .catch((error: unknown) => logger.debug({ err: error, topic }, 'wake-up not published; listeners will poll'));
      });
    },
  };
}

/** Where wake-ups are heard: the process's pub/sub. */
export interface WakeupSource {
  subscribe<T>(topic: string): Promise<AsyncIterableIterator<T>>;
  /** Called when the live feed is back after a gap, in which messages were lost (see PubSub). */
  onResync?(listener: () => void): () => void;
}

/**
 * Calls `onWake` for every wake-up on `topic` (with its message) until the returned function is called.
 * When the subscription cannot be made or ends, the listener goes on polling (said in the log).
 */
export async function listenForWakeups(
  source: WakeupSource,
  topic: string,
  onWake: (message: unknown) => void,
  logger: Logger,
): Promise<() => Promise<void>> {
  try {
    const subscription = await source.subscribe<unknown>(topic);
    void (async () => {
      for await (const message of subscription) onWake(message);
    })().catch((error: unknown) => logger.warn({ err: error, topic }, 'wake-ups ended; polling only'));
    return async () => {
      await subscription.return?.();
    };
  } catch (error) {
    logger.warn({ err: error, topic }, 'wake-ups unavailable; polling only');
    return async () => undefined;
  }
}

/** A listener that can be switched off and on again (see listenWhileWanted). */
export interface SwitchableListener {
  /** Listens from now on, or stops listening; resolves once the subscription follows. */
  want(listening: boolean): Promise<void>;
  /** Stops listening for good. */
  stop(): Promise<void>;
}

/**
 * Listens (as listenForWakeups) only while wanted. Subscribing and unsubscribing are serialised, so a
 * quick off-on-off leaves exactly the last wish in force and never two subscriptions at once.
 */
export function listenWhileWanted(listen: () => Promise<() => Promise<void>>): SwitchableListener {
  let wanted = false;
  let stopped = false;
  let unlisten: (() => Promise<void>) | undefined;
  let changes = Promise.resolve();
  async function follow(): Promise<void> {
    if (wanted && !stopped && !unlisten) unlisten = await listen();
    else if ((!wanted || stopped) && unlisten) {
      const end = unlisten;
      unlisten = undefined;
      await end();
    }
  }
  return {
    want(listening) {
      if (listening !== wanted && !stopped) {
        wanted = listening;
        changes = changes.then(follow);
      }
      return changes;
    },
    stop() {
      stopped = true;
      changes = changes.then(follow);
      return changes;
    },
  };
}
