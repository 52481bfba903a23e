import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { ExecutionsChangedDocument, WorkflowsChangedDocument, WorkflowsDocument } from '../generated/graphql';
import { useCan } from '../auth/ViewerProvider';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Pager } from '../ui/Pager';
import { useLiveSubscription } from '../ui/useLiveSubscription';
import { useThrottled } from '../ui/useThrottled';
import { WorkflowsTable } from './WorkflowsTable';

const PAGE_SIZE = 50;
const REFETCH_MS = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The URL's filters (`q`, `tag`, `active`) as the API's WorkflowFilter; null when there are none. */
function workflowFilter(params: URLSearchParams) {
  const search = params.get('q') ?? '';
  const tag = params.get('tag') ?? '';
  const active = params.get('active');
  const filter = {
    ...(search ? { nameContains: search } : {}),
    ...(tag ? { tags: [tag] } : {}),
    ...(active === 'yes' || active === 'no' ? { active: active === 'yes' } : {}),
  };
  return Object.keys(filter).length ? filter : null;
}

/** The tenant's workflows by name, searchable and filtered (tag, active), with numbers that move as runs start and finish. */
export function WorkflowsPage() {
  const [params, setParams] = useSearchParams();
  const canCreate = useCan('WORKFLOW_CREATE');
  const search = params.get('q') ?? '';
  const [since] = useState(() => new Date(Date.now() - DAY_MS).toISOString());
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const filter = workflowFilter(params);
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: WorkflowsDocument.toString(),
    variables: { filter, first: PAGE_SIZE, after, since },
  });

  // Live: a workflow saved or (de)activated, a run started or finished: the page is asked for again.
  const refetch = useThrottled(() => reexecute({ requestPolicy: 'network-only' }), REFETCH_MS);
  useLiveSubscription(
    { query: WorkflowsChangedDocument.toString() },
    (_previous, change) => {
      refetch();
      return change;
    },
    refetch,
  );
  useLiveSubscription(
    { query: ExecutionsChangedDocument.toString(), variables: { filter: null } },
    (_previous, change) => {
      refetch();
      return change;
    },
    refetch,
  );

  const setParam = (name: 'q' | 'tag' | 'active', value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
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
          <input type="search" value={search} placeholder="part of a name" onChange={(event) => setParam('q', event.target.value)} />
        </label>
        <label className="filter">
          Tag
          <input
            type="text"
            value={params.get('tag') ?? ''}
            placeholder="a tag"
            onChange={(event) => setParam('tag', event.target.value.trim())}
          />
        </label>
        <label className="filter">
          Active
          <select value={params.get('active') ?? ''} onChange={(event) => setParam('active', event.target.value)}>
            <option value="">any</option>
            <option value="yes">active</option>
            <option value="no">inactive</option>
          </select>
        </label>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {connection && connection.nodes.length === 0 ? (
        <p className="empty">
          {filter
            ? 'No workflow matches these filters.'
            : 'No workflows yet: make one with “New workflow”, or the createWorkflow mutation.'}
        </p>
      ) : null}
      {connection && connection.nodes.length > 0 ? <WorkflowsTable rows={connection.nodes} /> : null}
      {!connection && fetching ? <p className="muted">Loading…</p> : null}
      <Pager cursors={cursors} setCursors={setCursors} pageInfo={connection?.pageInfo} labels={['Previous', 'Next']} />
    </section>
  );
}
