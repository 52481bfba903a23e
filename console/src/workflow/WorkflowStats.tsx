import type { WorkflowStatsFieldsFragment as Stats } from '../generated/graphql';
import { formatDuration, formatPercent } from '../ui/format';

/**
 * All its runs, counted by the server: outcomes, in progress, queued behind its concurrency limit, success
 * rate, mean and p95 duration. `live`: these are the server's latest push (workflowStatsChanged).
 */
export function WorkflowStats({ stats, live }: { stats: Stats; live: boolean }) {
  if (stats.total === 0)
    return (
      <p className="empty">
        No runs yet: start one with “Start a run”, or through the API (<code>executeWorkflow</code>).
      </p>
    );
  const facts: [string, string, string][] = [
    ['runs', 'Runs', String(stats.total)],
    ['completed', 'Completed', String(stats.successful)],
    ['failed', 'Failed', String(stats.failed)],
    ['cancelled', 'Cancelled', String(stats.cancelled)],
    ['running', 'In progress', String(stats.running)],
    ['queued', 'Queued', String(stats.queued)],
    ['success-rate', 'Success rate', formatPercent(stats.successRate)],
    ['mean', 'Mean duration', formatDuration(stats.averageDurationMs)],
    ['p95', 'p95 duration', formatDuration(stats.p95DurationMs)],
  ];
  return (
    <dl className="stats" aria-label="All runs" data-live={live}>
      {facts.map(([key, label, value]) => (
        <div key={key}>
          <dt>{label}</dt>
          <dd data-stat={key}>{value}</dd>
        </div>
      ))}
      {live ? (
        <div>
          <dt>Updates</dt>
          <dd className="live">● live</dd>
        </div>
      ) : null}
    </dl>
  );
}

/** Steps that ended failed, most failures first (also shown on the graph's nodes). */
export function StepFailures({ failures }: { failures: Stats['stepFailures'] }) {
  return (
    <section className="step-panel" aria-label="Failures by step">
      <h2>Failures by step</h2>
      {failures.length === 0 ? (
        <p className="muted">No step has failed.</p>
      ) : (
        <table className="executions">
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Runs it failed in</th>
            </tr>
          </thead>
          <tbody>
            {failures.map((entry) => (
              <tr key={entry.step} data-failed-step={entry.step}>
                <td>{entry.step}</td>
                <td>{entry.failures}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
