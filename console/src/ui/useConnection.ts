import { useEffect, useState } from 'react';
import type { Client as WsClient } from 'graphql-ws';

/**
 * Whether a `closed` event of graphql-ws is a lost connection, which it then retries; 1000 is its own
 * normal closure (the lazy socket closes when no subscription is left).
 */
export function isDrop(event: unknown): boolean {
  const code = typeof event === 'object' && event !== null && 'code' in event ? (event as { code: unknown }).code : undefined;
  return code !== 1000;
}

/** True while the shared websocket is lost and graphql-ws reconnects: live data is not arriving. */
export function useConnectionLost(ws: WsClient | undefined): boolean {
  const [lost, setLost] = useState(false);
  useEffect(() => {
    if (!ws) return;
    const offs = [ws.on('closed', (event) => setLost(isDrop(event))), ws.on('connected', () => setLost(false))];
    return () => offs.forEach((off) => off());
  }, [ws]);
  return lost;
}
