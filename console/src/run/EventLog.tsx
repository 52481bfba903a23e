import { memo, useState } from 'react';
import type { RunEventFragment } from '../generated/graphql';
import { formatTime } from '../ui/format';
import { eventSummary } from './event-summary';

interface Props {
  events: readonly RunEventFragment[];
  onSelectStep(key: string): void;
}

/** The run's event log, oldest first, each with its sequence number and, where it helps, a line in words; payloads fold open. */
export const EventLog = memo(function EventLog({ events, onSelectStep }: Props) {
  if (events.length === 0) return <p className="muted">No events yet.</p>;
  return (
    <ol className="event-log" aria-label="Event log">
      {events.map((event) => (
        <EventItem key={event.sequence} event={event} onSelectStep={onSelectStep} />
      ))}
    </ol>
  );
});

/** An event never changes once logged: a new one in the log draws only itself. */
const EventItem = memo(function EventItem({ event, onSelectStep }: { event: RunEventFragment; onSelectStep(key: string): void }) {
  const { stepKey } = event;
  const summary = eventSummary(event);
  return (
    <li data-sequence={event.sequence}>
      <span className="sequence">#{event.sequence}</span> <span className="muted">{formatTime(event.at)}</span> <code>{event.type}</code>{' '}
      {stepKey ? (
        <button type="button" className="link" onClick={() => onSelectStep(stepKey)}>
          {stepKey}
        </button>
      ) : null}
      {summary ? <span className="event-summary"> {summary}</span> : null}
      {Object.keys(event.payload).length ? <Payload payload={event.payload} /> : null}
    </li>
  );
});

/** An event's payload, folded: written out only once opened (a long log holds a hundred and more, mostly never opened). */
function Payload({ payload }: { payload: RunEventFragment['payload'] }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>payload</summary>
      {open ? <pre>{JSON.stringify(payload, null, 2)}</pre> : null}
    </details>
  );
}
