import type { RunEventFragment } from '../generated/graphql';
import { formatTime } from '../ui/format';

/** The run's event log, oldest first, each with its sequence number; payloads fold open. */
export function EventLog({ events, onSelectStep }: { events: readonly RunEventFragment[]; onSelectStep(key: string): void }) {
  if (events.length === 0) return <p className="muted">No events yet.</p>;
  return (
    <ol className="event-log" aria-label="Event log">
      {events.map((event) => (
        <li key={event.sequence} data-sequence={event.sequence}>
          <span className="sequence">#{event.sequence}</span> <span className="muted">{formatTime(event.at)}</span> <code>{event.type}</code>{' '}
          {event.stepKey ? <StepLink stepKey={event.stepKey} onSelectStep={onSelectStep} /> : null}
          {Object.keys(event.payload).length ? (
            <details>
              <summary>payload</summary>
              <pre>{JSON.stringify(event.payload, null, 2)}</pre>
            </details>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

function StepLink({ stepKey, onSelectStep }: { stepKey: string; onSelectStep(key: string): void }) {
  return (
    <button type="button" className="link" onClick={() => onSelectStep(stepKey)}>
      {stepKey}
    </button>
  );
}
