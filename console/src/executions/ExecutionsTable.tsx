import { Link } from 'react-router';
import type { ExecutionRowFragment } from '../generated/graphql';
import { formatDuration, formatTime } from '../ui/format';
import { StatusBadge } from '../ui/StatusBadge';

export function ExecutionsTable({ rows }: { rows: readonly ExecutionRowFragment[] }) {
  return (
    <table className="executions">
      <thead>
        <tr>
          <th scope="col">Workflow</th>
          <th scope="col">Status</th>
          <th scope="col">Trigger</th>
          <th scope="col">Started</th>
          <th scope="col">Duration</th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-execution-id={row.id}>
            <td>
              <Link to={`/executions/${row.id}`}>{row.workflow.name}</Link> <span className="muted">v{row.workflowVersion}</span>
            </td>
            <td>
              <StatusBadge status={row.status} />
            </td>
            <td title={row.trigger.source ?? undefined}>{row.trigger.type.toLowerCase()}</td>
            <td>{formatTime(row.startedAt ?? row.createdAt)}</td>
            <td>{formatDuration(row.durationMs)}</td>
            <td title={row.error?.message}>{row.error ? <code>{row.error.code}</code> : null}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
