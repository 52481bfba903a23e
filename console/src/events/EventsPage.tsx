import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { EventsDocument, ExecutionsChangedDocument } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatTime } from '../ui/format';
import { Pager } from '../ui/Pager';
import { useLiveSubscription } from '../ui/useLiveSubscription';
import { useThrottled } from '../ui/useThrottled';
import { Deliveries } from './Deliveries';

const PAGE_SIZE = 20;
const REFETCH_MS = 1000;

/** Recent domain events, newest first, with what each did to the workflows it triggered; filtered by name. */
export function EventsPage() {
  const [params, setParams] = useSearchParams();
  const name = params.get('name') ?? '';
  const [typed, setTyped] = useState(name);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: EventsDocument.toString(),
    variables: { filter: name ? { name } : null, first: PAGE_SIZE, after },
  });

  // An event that starts runs is seen dispatched, with its runs, when they appear.
  const refetch = useThrottled(() => reexecute({ requestPolicy: 'network-only' }), REFETCH_MS);
  useLiveSubscription(
    { query: ExecutionsChangedDocument.toString(), variables: { filter: null } },
    (_previous, change) => {
      if (cursors.length === 1) refetch();
      return change;
    },
    refetch,
  );

  const page = data?.events;
  return (
    <section>
      <h1>Events</h1>
      <form
        className="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setParams(typed.trim() ? { name: typed.trim() } : {}, { replace: true });
          setCursors([null]);
        }}
      >
        <label className="filter">
          Event name
          <input value={typed} placeholder="e.g. quote.accepted" onChange={(event) => setTyped(event.target.value)} />
        </label>
        <button type="submit">Filter</button>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {page && page.nodes.length === 0 ? (
        <p className="empty">
          {name ? `No event named ${name}.` : 'No events yet.'} Domain services record them as things happen; integrations publish their own
          with the <code>publishEvent</code> mutation.
        </p>
      ) : null}
      {page && page.nodes.length > 0 ? (
        <table className="executions events">
          <thead>
            <tr>
              <th scope="col">Occurred</th>
              <th scope="col">Event</th>
              <th scope="col">Source</th>
              <th scope="col">Dispatched</th>
              <th scope="col">Workflows it triggered</th>
            </tr>
          </thead>
          <tbody>
            {page.nodes.map((event) => (
              <tr key={event.id} data-event-id={event.id}>
                <td>{formatTime(event.occurredAt)}</td>
                <td>
                  <Link to={`/events/${encodeURIComponent(event.id)}`}>{event.name}</Link>
                </td>
                <td>{event.source ? <code>{event.source}</code> : '—'}</td>
                <td>{event.dispatchedAt ? formatTime(event.dispatchedAt) : <span className="muted">waiting for the dispatcher</span>}</td>
                <td>
                  <Deliveries deliveries={event.deliveries} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {!page && fetching ? <p className="muted">Loading…</p> : null}
      <Pager cursors={cursors} setCursors={setCursors} pageInfo={page} labels={['Newer', 'Older']} />
    </section>
  );
}
