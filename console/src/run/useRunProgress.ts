import { useEffect, useRef, useState } from 'react';
import type { Client as WsClient } from 'graphql-ws';
import { useClient, type CombinedError } from 'urql';
import { useSession } from '../auth/SessionProvider';
import {
  RunChangedDocument,
  RunProgressDocument,
  RunStatusDocument,
  type RunEventFragment,
  type RunProgressSubscription,
  type RunSummaryFragment,
} from '../generated/graphql';
import { isDrop } from '../ui/useConnection';
import { useFrameBatch } from '../ui/useFrameBatch';
import { firstEvents, readEvents } from './prefetch';
import { newestSummary } from './run-version';

type LiveEvent = RunProgressSubscription['executionProgress'];

export type ProgressState = 'loading' | 'idle' | 'live' | 'reconnecting';

/** A run's last event when it has finished (the server then completes the subscription). */
const FINAL_EVENT = /^execution\.(completed|failed|cancelled)$/;

/**
 * A run's event log: the log so far, a page at a time, then `executionProgress` after the last event
 * loaded, while the run goes on (`active`) or its log lacks the final event (the subscription is not
 * ended by the status the final event itself writes to the cache, before the event is listed). Each event
 * carries the run without its steps and the one step it is about; the cache merges that step into the
 * run's list (graphql/run-steps.ts), so the page's steps update with it. A dropped websocket: "reconnecting" while
 * graphql-ws reconnects, then the subscription starts again after the last sequence received (an event
 * arriving twice meanwhile is dropped by its sequence): no gap, no duplicate.
 * A finished run is not over for good: someone else may retry or rerun it. While not following, the page
 * listens to `executionsChanged` for this run; the summary it brings updates the cached run, whose status
 * (or a last sequence past the log held) starts following again after the last event held.
 */
export function useRunProgress(executionId: string, active: boolean, runSequence: number | undefined) {
  const client = useClient();
  const ws = useSession().clients?.ws;
  const [events, setEvents] = useState<RunEventFragment[]>([]);
  const [loaded, setLoaded] = useState(false);
  // The log is read (every page); then whether the run as read is as new as it, below.
  const [logRead, setLogRead] = useState(false);
  const [error, setError] = useState<CombinedError | null>(null);
  const [state, setState] = useState<ProgressState>('loading');
  const lastSequence = useRef(0);
  // The newest copy of the run the live feeds brought (each event's and change's `execution`, as it was
  // when sent), drawn with the events: the page shows no older state than its events (run-version.ts).
  const [liveRun, setLiveRun] = useState<RunSummaryFragment | null>(null);
  // Live events are drawn once a frame, however many arrive in it: a burst of a run's events (a step
  // started and completed in one checkpoint, sixty steps in a second) is one render, not one each.
  const append = useFrameBatch<LiveEvent>((batch) => {
    setEvents((previous) => [...previous, ...batch]);
    setLiveRun((held) =>
      newestSummary(
        held,
        batch.map((event) => event.execution),
      ),
    );
  });

  useEffect(() => {
    let cancelled = false;
    lastSequence.current = 0;
    setEvents([]);
    setLoaded(false);
    setLogRead(false);
    void (async () => {
      for (;;) {
        const after = lastSequence.current;
        const result = await (after === 0 ? firstEvents(client, executionId) : readEvents(client, executionId, after));
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
      setLogRead(true);
    })();
    return () => {
      cancelled = true;
    };
  }, [client, executionId]);

  // The page's read of the run (asked at the same time as the log) may predate events the log now holds
  // (a park, a step), and the subscription resumes after them: then the state is read again, now at least
  // as new as the last event. Most often it is not older (a finished run), and nothing more is asked.
  useEffect(() => {
    if (!logRead || runSequence === undefined || loaded) return;
    let cancelled = false;
    const done = () => {
      if (cancelled) return;
      setLoaded(true);
      setState('idle');
    };
    if (runSequence >= lastSequence.current) done();
    else void client.query(RunStatusDocument.toString(), { id: executionId }, { requestPolicy: 'network-only' }).toPromise().then(done);
    return () => {
      cancelled = true;
    };
  }, [client, executionId, logRead, runSequence, loaded]);

  const lastHeld = events[events.length - 1];
  const heldSequence = lastHeld?.sequence ?? 0;
  // Nor may a later write take the run back behind the events drawn: a command's answer (the run as read
  // just after the command, before the worker acted on it) can arrive after the event that followed it,
  // and the cache keeps what was written last. An event's own copy of the run is in the cache before the
  // event is drawn, so a run (`runSequence`, the cache's) older than the last event drawn was overwritten:
  // it is read again.
  const reread = useRef(0);
  useEffect(() => {
    if (!loaded || runSequence === undefined || runSequence >= heldSequence || reread.current >= heldSequence) return;
    reread.current = heldSequence;
    void client.query(RunStatusDocument.toString(), { id: executionId }, { requestPolicy: 'network-only' }).toPromise();
  }, [client, executionId, loaded, runSequence, heldSequence]);
  const logFinished = FINAL_EVENT.test(lastHeld?.type ?? '');
  // A run that went on and finished again before the page heard of it is still final, but past the log held.
  const behind = runSequence !== undefined && runSequence > heldSequence;
  const follow = loaded && (active || !logFinished || behind);
  useEffect(() => {
    if (!follow || !ws) return;
    let subscription: { unsubscribe(): void } | null = null;
    const start = () => {
      subscription?.unsubscribe();
      subscription = client
        .subscription(RunProgressDocument.toString(), { executionId, afterSequence: lastSequence.current })
        .subscribe((result) => {
          if (result.error) setError(result.error);
          const event = result.data?.executionProgress;
          if (!event || event.sequence <= lastSequence.current) return;
          lastSequence.current = event.sequence;
          append(event);
        });
      setState('live');
    };
    const off = afterDrops(ws, () => setState('reconnecting'), start);
    start();
    return () => {
      off();
      subscription?.unsubscribe();
      setState('idle');
    };
  }, [client, ws, executionId, follow]);

  const watch = loaded && !follow;
  useEffect(() => {
    if (!watch || !ws) return;
    let subscription: { unsubscribe(): void } | null = null;
    const listen = () => {
      subscription?.unsubscribe();
      subscription = client.subscription(RunChangedDocument.toString(), { id: executionId }).subscribe((result) => {
        if (result.error) setError(result.error);
        const run = result.data?.executionsChanged.execution;
        if (run) setLiveRun((held) => newestSummary(held, [run]));
      });
    };
    const off = afterDrops(
      ws,
      () => undefined,
      () => {
        // This feed has no replay: what changed while the socket was away is read, then listened to again.
        void client.query(RunStatusDocument.toString(), { id: executionId }, { requestPolicy: 'network-only' }).toPromise();
        listen();
      },
    );
    listen();
    return () => {
      off();
      subscription?.unsubscribe();
    };
  }, [client, ws, executionId, watch]);

  return { events, state, error, liveRun };
}

/** `dropped` when the socket drops (not when it is closed on purpose), `back` when it connects again after that; answers the off switch. */
function afterDrops(ws: WsClient, dropped: () => void, back: () => void): () => void {
  let away = false;
  const offs = [
    ws.on('closed', (event) => {
      if (!isDrop(event)) return;
      away = true;
      dropped();
    }),
    ws.on('connected', () => {
      if (!away) return;
      away = false;
      back();
    }),
  ];
  return () => offs.forEach((off) => off());
}
