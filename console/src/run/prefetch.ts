import { useEffect, useState } from 'react';
import { matchPath } from 'react-router';
import { useClient, type Client, type OperationResult } from 'urql';
import { RunDocument, RunEventsDocument, type RunEventsQuery } from '../generated/graphql';
import { EVENTS_PAGE } from './log-page';

type EventsPage = Promise<OperationResult<RunEventsQuery>>;

/** First pages of run logs asked for ahead of their page, per client (a new session never sees another's). */
const firstPages = new WeakMap<Client, Map<string, EventsPage>>();
/** Runs asked for ahead and not answered yet, per client. */
const runsAhead = new WeakMap<Client, Map<string, Promise<void>>>();

/** `client`'s entries of a per-client map, made on first use. */
function entriesOf<T>(perClient: WeakMap<Client, Map<string, T>>, client: Client): Map<string, T> {
  let entries = perClient.get(client);
  if (!entries) perClient.set(client, (entries = new Map()));
  return entries;
}

/** The page of a run's log after `after`, always from the server (a log only grows). */
export function readEvents(client: Client, id: string, after: number): EventsPage {
  return client.query(RunEventsDocument.toString(), { id, after, first: EVENTS_PAGE }, { requestPolicy: 'network-only' }).toPromise();
}

/**
 * A run's page opened by its address (a link, a reload) would otherwise wait for the viewer (`me`)
 * before asking for anything: the run and the first page of its log are asked for beside `me`
 * instead. The run lands in the normalised cache, where the page's query finds it once it is answered
 * (useRunAskedAhead); the log's page is kept for the page to take.
 */
export function prefetchPage(client: Client, pathname: string): void {
  const id = matchPath('/executions/:id', pathname)?.params.id;
  if (!id) return;
  const runs = entriesOf(runsAhead, client);
  const answered = client
    .query(RunDocument.toString(), { id })
    .toPromise()
    .then(() => void runs.delete(id));
  runs.set(id, answered);
  const pages = entriesOf(firstPages, client);
  if (!pages.has(id)) pages.set(id, readEvents(client, id, 0));
}

/**
 * The first page of a run's log: the one asked for ahead, once, or a new request. One asked for ahead
 * and taken later is no wrong: the log only grows, and what came after it is read after its last event.
 */
export function firstEvents(client: Client, id: string): EventsPage {
  const pages = firstPages.get(client);
  const ahead = pages?.get(id);
  pages?.delete(id);
  return ahead ?? readEvents(client, id, 0);
}

/**
 * Whether the run's page must still wait for its run asked for ahead. Its own query is held until then:
 * urql joins a request in flight only until the cache re-reads the query (the log's page writes into
 * the same run, and the cache then re-reads every query reading it), and a query asked after that, with
 * the run not in the cache yet, goes to the server a second time.
 */
export function useRunAskedAhead(id: string): boolean {
  const client = useClient();
  const [pending, setPending] = useState(() => runsAhead.get(client)?.get(id));
  useEffect(() => {
    if (!pending) return;
    let mounted = true;
    void pending.then(() => mounted && setPending(undefined));
    return () => {
      mounted = false;
    };
  }, [pending]);
  return pending !== undefined;
}
