import { useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import { useSession } from '../auth/SessionProvider';
import { RunProgressDocument, type RunEventFragment } from '../generated/graphql';

export type ProgressState = 'idle' | 'live' | 'reconnecting';

/**
 * A run's event log: the events the page loaded with, then `executionProgress` after the last of them.
 * The execution each event carries is normalised into the cache, so the run's steps update with it.
 * A dropped websocket: "reconnecting" while graphql-ws reconnects, then the subscription starts again
 * after the last sequence received (events arriving twice meanwhile are dropped by sequence).
 */
export function useRunProgress(executionId: string, initial: readonly RunEventFragment[] | null, active: boolean) {
  const client = useClient();
  const { clients } = useSession();
  const ws = clients?.ws;
  const [events, setEvents] = useState<RunEventFragment[]>([]);
  const [state, setState] = useState<ProgressState>('idle');
  const lastSequence = useRef(0);
  const seededFor = useRef<string | null>(null);

  // The log the page loaded with, once per run.
  useEffect(() => {
    if (!initial || seededFor.current === executionId) return;
    seededFor.current = executionId;
    lastSequence.current = initial.reduce((last, event) => Math.max(last, event.sequence), 0);
    setEvents([...initial]);
  }, [executionId, initial]);

  const seeded = initial !== null;
  useEffect(() => {
    if (!seeded || !active || !ws) return;
    let subscription: { unsubscribe(): void } | null = null;
    let dropped = false;
    const start = () => {
      subscription?.unsubscribe();
      subscription = client.subscription(RunProgressDocument, { executionId, afterSequence: lastSequence.current }).subscribe((result) => {
        const event = result.data?.executionProgress;
        if (!event || event.sequence <= lastSequence.current) return;
        lastSequence.current = event.sequence;
        setEvents((previous) => [...previous, event]);
      });
      setState('live');
    };
    const offs = [
      ws.on('closed', () => {
        dropped = true;
        setState('reconnecting');
      }),
      ws.on('connected', () => {
        if (!dropped) return;
        dropped = false;
        start();
      }),
    ];
    start();
    return () => {
      offs.forEach((off) => off());
      subscription?.unsubscribe();
      setState('idle');
    };
  }, [client, ws, executionId, seeded, active]);

  return { events, state };
}
