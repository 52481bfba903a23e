import { Link } from 'react-router';

interface Origin {
  step: string;
  execution: { id: string; workflow: { name: string } };
}

/** "created by run X, step Y", linking back to the run; says so when no workflow step made the record. */
export function OriginLink({ origin, verb = 'created' }: { origin: Origin | null | undefined; verb?: string }) {
  if (!origin) return <span className="muted">not {verb} by a workflow run</span>;
  return (
    <span data-origin-run={origin.execution.id} data-origin-step={origin.step}>
      {verb} by run{' '}
      <Link to={`/executions/${origin.execution.id}`}>
        {origin.execution.workflow.name} <code>{origin.execution.id.slice(0, 8)}</code>
      </Link>
      , step <code>{origin.step}</code>
    </span>
  );
}
