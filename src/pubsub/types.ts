/**
 * Live notifications between processes. Redis carries them between API nodes (any node serves any
 * subscriber); without Redis one process serves everyone in memory. Nothing durable travels here:
 * a subscriber that missed a message catches up from the database.
 *
 * Payloads are JSON-serialised in both implementations, so what a subscriber receives never depends
 * on which one is configured.
 */
export interface PubSub {
  /**
   * Best-effort: settles within a few seconds, and rejects with a `PubSubError` when the message
   * could not be handed over (the broker is down). Callers catch and log; the database has the truth.
   */
  publish(topic: string, payload: unknown): Promise<void>;
  /**
   * Resolves once the subscription is live: a message published after that is delivered. Callers that
   * must not miss anything subscribe first, then read the current state, then consume. While the
   * broker is unreachable it resolves at once, not live yet: a resync (below) follows when it is.
   */
  subscribe<T>(topic: string): Promise<AsyncIterableIterator<T>>;
  /**
   * Calls `listener` each time the live feed comes back after a gap (the broker connection was lost
   * and every subscription is live again): messages published meanwhile are lost, so a subscriber
   * re-reads what it follows from the database. Returns a function that removes the listener.
   */
  onResync(listener: () => void): () => void;
  /** For readiness checks: rejects while the broker is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A publish or subscription the broker did not take. */
export class PubSubError extends Error {
  constructor(
    readonly operation: 'publish' | 'subscribe' | 'unsubscribe' | 'ping',
    readonly topic: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PubSubError';
  }
}
