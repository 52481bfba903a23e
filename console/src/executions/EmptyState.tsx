import { Link } from 'react-router';

/** What to do when there is nothing to list. */
export function EmptyState({ filtered }: { filtered: boolean }) {
  if (filtered) return <p className="empty">No runs match these filters.</p>;
  return (
    <div className="empty">
      <p>
        <strong>No runs yet.</strong> A run starts when a workflow is executed through the API, when a domain event it listens for is
        published, or on its schedule.
      </p>
      <p>
        To start one by hand, open a workflow under <Link to="/workflows">Workflows</Link> and use <strong>Start a run</strong>; or, through
        the API, <code>{'mutation { executeWorkflow(name: "<workflow>", context: {}) { execution { id } } }'}</code>. It appears here at
        once.
      </p>
    </div>
  );
}
