import { Link } from 'react-router';
import { formatTime } from '../ui/format';
import type { Touch } from './records';

/** Every run and step that created or changed a record, oldest first, each linking to its run. */
export function LineageTable({ touches }: { touches: readonly Touch[] }) {
  if (touches.length === 0) return <p className="muted">No workflow run has created or changed it.</p>;
  return (
    <table className="executions" aria-label="Runs that touched it">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Run</th>
          <th scope="col">Step</th>
          <th scope="col">What it did</th>
        </tr>
      </thead>
      <tbody>
        {touches.map((touch) => (
          <tr key={`${touch.execution.id}:${touch.step}:${touch.at}`} data-touch-run={touch.execution.id} data-touch-step={touch.step}>
            <td>{formatTime(touch.at)}</td>
            <td>
              <Link to={`/executions/${touch.execution.id}`}>
                {touch.execution.workflow.name} <code>{touch.execution.id.slice(0, 8)}</code>
              </Link>
            </td>
            <td>
              <code>{touch.step}</code>
            </td>
            <td>{touch.action.toLowerCase()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
