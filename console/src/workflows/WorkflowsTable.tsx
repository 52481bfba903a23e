import { Link } from 'react-router';
import type { WorkflowRowFragment } from '../generated/graphql';
import { formatDuration, formatPercent } from '../ui/format';

/** Workflows with their last 24 hours: runs, success rate, p95 duration. */
export function WorkflowsTable({ rows }: { rows: readonly WorkflowRowFragment[] }) {
  return (
    <table className="executions workflows">
      <thead>
        <tr>
          <th scope="col">Workflow</th>
          <th scope="col">Version</th>
          <th scope="col">Tags</th>
          <th scope="col">Active</th>
          <th scope="col">Runs (24 h)</th>
          <th scope="col">Success rate</th>
          <th scope="col">p95 duration</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-workflow={row.name}>
            <td title={row.description}>
              <Link to={`/workflows/${encodeURIComponent(row.name)}`}>{row.name}</Link>
            </td>
            <td>
              v{row.version} {row.versionLabel ? <span className="muted">{row.versionLabel}</span> : null}
            </td>
            <td>{row.tags.join(', ')}</td>
            <td>{row.active ? 'yes' : 'no'}</td>
            <td data-stat="runs">
              <Link to={`/executions?workflow=${encodeURIComponent(row.name)}`} aria-label={`Runs of ${row.name}`}>
                {row.stats.total}
              </Link>
            </td>
            <td data-stat="success-rate">{formatPercent(row.stats.successRate)}</td>
            <td data-stat="p95">{formatDuration(row.stats.p95DurationMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
