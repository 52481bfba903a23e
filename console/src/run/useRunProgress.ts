import { useEffect, useRef, useState } from 'react';
import { useClient, type CombinedError } from 'urql';
import { useSession } from '../auth/SessionProvider';
import { RunEventsDocument, RunProgressDocument, RunStatusDocument, type RunEventFragment } from '../generated/graphql';
import { isDrop } from '../ui/useConnection';
import { useFrameBatch } from '../ui/useFrameBatch';

export type ProgressState = 'loading' | 'idle' | 'live' | 'reconnecting';

/** A run's last event when it has finished (the server then completes the subscription). */
const FINAL_EVENT = /^execution\.(completed|failed|cancelled)$/;

/** Events a RunEvents request asks for: what the server's cost limit allows. */
const EVENTS_PAGE = 100;

/**
 * A run's event log: the log so far, a page at a time, then `executionProgress` after the last event
 * loaded, while the run goes on (`active`) or its log lacks the final event (the subscription is not
 * ended by the status the final event itself writes to the cache, before the event is listed). The execution each event carries is normalised into the
 * cache, so the run's steps on the page update with it. A dropped websocket: "reconnecting" while
 * graphql-ws reconnects, then the subscription starts again after the last sequence received (an event
 * arriving twice meanwhile is dropped by its sequence): no gap, no duplicate.
 */
export function useRunProgress(executionId: string, active: boolean) {
  const client = useClient();
  const ws = useSession().clients?.ws;
  const [events, setEvents] = useState<RunEventFragment[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<CombinedError | null>(null);
  const [state, setState] = useState<ProgressState>('loading');
  const lastSequence = useRef(0);
  // Live events are drawn once a frame, however many arrive in it: a burst of a run's events (a step
  // started and completed in one checkpoint, sixty steps in a second) is one render, not one each.
  const append = useFrameBatch<RunEventFragment>((batch) => setEvents((previous) => [...previous, ...batch]));

  useEffect(() => {
    let cancelled = false;
    lastSequence.current = 0;
    setEvents([]);
    setLoaded(false);
    void (async () => {
      for (;;) {
        const result = await client.query(RunEventsDocument, { id: executionId, after: lastSequence.current, first: EVENTS_PAGE }, { requestPolicy: 'network-only' }).toPromise();
        if (cancelled) return;
        const page = result.data?.execution.events;
        if (!page) {
          setError(result.error ?? null);
          return;
        }
        const fresh = page.nodes.filter((event) => event.sequence > lastSequence.current);
        lastSequence.current = fresh.reduce((last, event) => Math.max(last, event.sequence), lastSequence.current);
        setEvents((previous) => [...previous, ...fresh]);
        if (!page.hasNextPage || fresh.length === 0) break;
      }
      // The page's first read of the run may predate events the log now holds (a park, a step), and the
      // subscription resumes after them: read the state again, now at least as new as the last event.
      await client.query(RunStatusDocument, { id: executionId }, { requestPolicy: 'network-only' }).toPromise();
      if (cancelled) return;
      setLoaded(true);
      setState('idle');
    })();
    return () => {
      cancelled = true;
    };
  }, [client, executionId]);

  const logFinished = FINAL_EVENT.test(events[events.length - 1]?.type ?? '');
  const follow = loaded && (active || !logFinished);
  useEffect(() => {
    if (!follow || !ws) return;
    let subscription: { unsubscribe(): void } | null = null;
    let dropped = false;
    const start = () => {
      subscription?.unsubscribe();
      subscription = client.subscription(RunProgressDocument, { executionId, afterSequence: lastSequence.current }).subscribe((result) => {
        if (result.error) setError(result.error);
        const event = result.data?.executionProgress;
        if (!event || event.sequence <= lastSequence.current) return;
        lastSequence.current = event.sequence;
        append(event);
      });
      setState('live');
    };
    const offs = [
      ws.on('closed', (event) => {
        if (!isDrop(event)) return;
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
  }, [client, ws, executionId, follow]);

  return { events, state, error };
}
