import { triggersOf } from './triggers-of';

export function Triggers({ definition }: { definition: unknown }) {
  const triggers = triggersOf(definition);
  if (triggers.length === 0)
    return (
      <p className="muted">
        No event starts this workflow: add a trigger to the definition&apos;s <code>triggers</code>.
      </p>
    );
  return (
    <ul className="triggers">
      {triggers.map((trigger, index) => (
        <li key={index} data-trigger={trigger.event}>
          on <code>{trigger.event}</code>
          {trigger.filter ? (
            <>
              {' '}
              when <code>{trigger.filter}</code>
            </>
          ) : null}
          {trigger.context ? (
            <>
              {' '}
              with context <code>{trigger.context}</code>
            </>
          ) : (
            <span className="muted"> with the event&apos;s payload as context</span>
          )}
          {trigger.priority !== null ? <span data-field="priority"> at priority {trigger.priority}</span> : null}
        </li>
      ))}
    </ul>
  );
}
