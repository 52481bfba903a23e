import { useEffect, useState } from 'react';
import type { Client as WsClient } from 'graphql-ws';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting';

/** The websocket's state, for a visible "reconnecting" while graphql-ws retries a dropped connection. */
export function useConnectionState(ws: WsClient | undefined): ConnectionState {
  const [state, setState] = useState<ConnectionState>('idle');
  useEffect(() => {
    if (!ws) return;
    let wasConnected = false;
    const offs = [
      ws.on('connecting', (retrying) => setState(retrying || wasConnected ? 'reconnecting' : 'connecting')),
      ws.on('connected', () => {
        wasConnected = true;
        setState('connected');
      }),
      ws.on('closed', () => setState((current) => (current === 'connected' || current === 'reconnecting' ? 'reconnecting' : 'idle'))),
    ];
    return () => offs.forEach((off) => off());
  }, [ws]);
  return state;
}
