import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { EventDocument, type EventQuery } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatJson, formatTime } from '../ui/format';
import { StatusBadge } from '../ui/StatusBadge';
import { Deliveries } from './Deliveries';

type Run = EventQuery['event']['executions'][number];

function Runs({ runs, none }: { runs: readonly Run[]; none: string }) {
  if (runs.length === 0) return <p className="muted">{none}</p>;
  return (
    <ul className="event-runs">
      {runs.map((run) => (
        <li key={run.id}>
          <Link to={`/executions/${run.id}`}>{run.workflow.name}</Link> <StatusBadge status={run.status} />{' '}
          <span className="muted">{formatTime(run.createdAt)}</span>
        </li>
      ))}
    </ul>
  );
}

/** One domain event: its payload (as the API redacts it), its deliveries, the runs it started and resumed. */
export function EventPage() {
  const { id = '' } = useParams();
  const [{ data, error }] = useQuery({ query: EventDocument.toString(), variables: { id }, requestPolicy: 'cache-and-network' });
  const event = data?.event;
  if (error && !event) return <ErrorNotice error={error} />;
  if (!event) return <p className="muted">Loading…</p>;
  return (
    <section className="event">
      <p>
        <Link to="/events">← Events</Link>
      </p>
      <h1>
        <code>{event.name}</code>
      </h1>
      <dl className="run-facts">
        <dt>Event</dt>
        <dd>
          <code>{event.id}</code>
        </dd>
        <dt>Occurred</dt>
        <dd>{formatTime(event.occurredAt)}</dd>
        <dt>Source</dt>
        <dd>{event.source ? <code>{event.source}</code> : '—'}</dd>
        <dt>Dispatched</dt>
        <dd>{event.dispatchedAt ? formatTime(event.dispatchedAt) : 'not yet: waiting for the dispatcher'}</dd>
      </dl>
      <h2>Payload</h2>
      <pre>{formatJson(event.payload)}</pre>
      <h2>Deliveries</h2>
      <Deliveries deliveries={event.deliveries} />
      <h2>Runs it started</h2>
      <Runs runs={event.executions} none="None." />
      <h2>Runs it resumed</h2>
      <Runs runs={event.resumedExecutions} none="No waiting step matched it." />
    </section>
  );
}
