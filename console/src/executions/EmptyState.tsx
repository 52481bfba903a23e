/** What to do when there is nothing to list. */
export function EmptyState({ filtered }: { filtered: boolean }) {
  if (filtered) return <p className="empty">No runs match these filters.</p>;
  return (
    <div className="empty">
      <p>
        <strong>No runs yet.</strong> A run starts when a workflow is executed through the API, when a domain event
        it listens for is published, or on its schedule.
      </p>
      <p>
        To start one by hand, open the playground at <a href="/graphql">/graphql</a> and run{' '}
        <code>{'mutation { executeWorkflow(name: "<workflow>", context: {}) { execution { id } } }'}</code>. It
        appears here at once.
      </p>
    </div>
  );
}
