import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { ExecutionsChangedDocument, WorkflowsChangedDocument, WorkflowsDocument } from '../generated/graphql';
import { useCan } from '../auth/ViewerProvider';
import { ErrorNotice } from '../ui/ErrorNotice';
import { useLiveSubscription } from '../ui/useLiveSubscription';
import { useThrottled } from '../ui/useThrottled';
import { WorkflowsTable } from './WorkflowsTable';

const PAGE_SIZE = 50;
const REFETCH_MS = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The tenant's workflows by name, searchable, with numbers that move as runs start and finish. */
export function WorkflowsPage() {
  const [params, setParams] = useSearchParams();
  const canCreate = useCan('WORKFLOW_CREATE');
  const search = params.get('q') ?? '';
  const [since] = useState(() => new Date(Date.now() - DAY_MS).toISOString());
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const filter = search ? { nameContains: search } : null;
  const [{ data, error, fetching }, reexecute] = useQuery({ query: WorkflowsDocument, variables: { filter, first: PAGE_SIZE, after, since } });

  // Live: a workflow saved or (de)activated, a run started or finished: the page is asked for again.
  const refetch = useThrottled(() => reexecute({ requestPolicy: 'network-only' }), REFETCH_MS);
  useLiveSubscription({ query: WorkflowsChangedDocument }, (_previous, change) => {
    refetch();
    return change;
  }, refetch);
  useLiveSubscription({ query: ExecutionsChangedDocument, variables: { filter: null } }, (_previous, change) => {
    refetch();
    return change;
  }, refetch);

  const setSearch = (value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set('q', value);
    else next.delete('q');
    setParams(next, { replace: true });
    setCursors([null]);
  };

  const connection = data?.workflows;
  return (
    <section>
      <header className="run-header">
        <h1>Workflows</h1>
        {canCreate ? <Link to="/workflows/new">New workflow</Link> : null}
      </header>
      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <label className="filter">
          Search
          <input type="search" value={search} placeholder="part of a name" onChange={(event) => setSearch(event.target.value)} />
        </label>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {connection && connection.nodes.length === 0 ? (
        <p className="empty">{search ? 'No workflow has that in its name.' : 'No workflows yet: make one with “New workflow”, or the createWorkflow mutation.'}</p>
      ) : null}
      {connection && connection.nodes.length > 0 ? <WorkflowsTable rows={connection.nodes} /> : null}
      {!connection && fetching ? <p className="muted">Loading…</p> : null}
      <nav className="pager" aria-label="Pages">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors((stack) => stack.slice(0, -1))}>
          ← Previous
        </button>
        <span className="muted">Page {cursors.length}</span>
        <button type="button" disabled={!connection?.pageInfo.hasNextPage} onClick={() => setCursors((stack) => [...stack, connection?.pageInfo.endCursor ?? null])}>
          Next →
        </button>
      </nav>
    </section>
  );
}
