import pg from 'pg';
import { coerceError } from '../../errors.js';
import type { Logger } from '../../logger.js';

export { DOMAIN_EVENTS_CHANNEL, LOOKBACKS_CHANNEL } from '../../entities/migrations/Migration20261122100000_triggers.js';

export interface Listener {
  close(): Promise<void>;
}

/**
 * LISTENs on `channels` over a connection of its own (a pooled one would be handed to someone else,
 * and LISTEN belongs to a session), calling `onNotify` for each notification. When the connection
 * drops it reconnects with backoff and calls `onNotify` once connected again, since notifications
 * sent meanwhile are lost. Polling stays the safety net: a notification only makes work happen sooner.
 */
export function listen(config: pg.ClientConfig, channels: readonly string[], onNotify: (channel: string) => void, logger: Logger): Listener {
  let client: pg.Client | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  const reconnectLater = () => {
    if (closed || retryTimer) return;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
    failures += 1;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const next = new pg.Client(config);
    next.on('notification', (message) => onNotify(message.channel));
    const lost = (error?: Error) => {
      if (closed) return;
      if (error) logger.warn({ err: error }, 'event listener connection failed; reconnecting');
      if (client === next) client = undefined;
      next.end().catch(() => undefined);
      reconnectLater();
    };
    next.on('error', lost);
    next.on('end', () => lost());
    try {
      await next.connect();
      for (const channel of channels) await next.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      logger.warn({ err: coerceError(error) }, 'event listener cannot connect; retrying');
      await next.end().catch(() => undefined);
      reconnectLater();
      return;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    failures = 0;
    // Whatever was notified while we were away.
    for (const channel of channels) onNotify(channel);
  }

  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
