import { Link } from 'react-router';
import type { RunQuery } from '../generated/graphql';

type Run = RunQuery['execution'];

/** What started a run: who through the API, which event, which schedule, or which run (a link). */
export function StartedBy({ run }: { run: Pick<Run, 'trigger' | 'triggerEvent'> }) {
  const { type, source } = run.trigger;
  switch (type) {
    case 'EVENT':
      return run.triggerEvent ? (
        <>
          event <code>{run.triggerEvent.name}</code>{' '}
          <Link to={`/events/${encodeURIComponent(run.triggerEvent.id)}`}>{run.triggerEvent.id}</Link>
        </>
      ) : (
        <>event {source ? <code>{source}</code> : null}</>
      );
    case 'SUB_WORKFLOW':
    case 'RERUN':
      return (
        <>
          {type === 'RERUN' ? 'a rerun of ' : 'a step of '}
          {source ? <Link to={`/executions/${source}`}>{source}</Link> : 'another run'}
        </>
      );
    case 'SCHEDULE':
      // `<schedule>@<tick>`: the schedules page shows it with its other ticks.
      return (
        <>
          schedule {source ? <code>{source}</code> : null} <Link to="/schedules">schedules →</Link>
        </>
      );
    case 'API':
      return (
        <>
          the API
          {source ? (
            <>
              , as <code>{source}</code>
            </>
          ) : null}
        </>
      );
    default: {
      const unknown: never = type;
      return <>{String(unknown)}</>;
    }
  }
}
