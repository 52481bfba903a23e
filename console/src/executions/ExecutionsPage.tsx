import { useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { ExecutionsChangedDocument, ExecutionsDocument } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Pager } from '../ui/Pager';
import { useLiveConnection, useLiveSubscription } from '../ui/useLiveSubscription';
import { useThrottled } from '../ui/useThrottled';
import { EmptyState } from './EmptyState';
import { ExecutionFilters } from './ExecutionFilters';
import { ExecutionsTable } from './ExecutionsTable';
import { isFiltered, parseFilters, toExecutionFilter, type FilterName } from './filters';

export const PAGE_SIZE = 20;
/** Live changes refetch a list at most this often. */
const REFETCH_MS = 1000;

/** Runs of the tenant, newest first, a page at a time; filters live in the URL, rows update live. */
export function ExecutionsPage() {
  const [params, setParams] = useSearchParams();
  const filters = parseFilters(params);
  const { status, workflow } = filters;
  // The cursors of the pages before this one: "Newer" goes back without asking the server for offsets.
  // They belong to one set of filters: other filters (a link, the back button) start at the first page.
  const filterKey = params.toString();
  const [paging, setPaging] = useState<{ key: string; cursors: (string | null)[] }>({ key: filterKey, cursors: [null] });
  const cursors = paging.key === filterKey ? paging.cursors : [null];
  const setCursors = (change: (stack: (string | null)[]) => (string | null)[]) => setPaging({ key: filterKey, cursors: change(cursors) });
  const after = cursors[cursors.length - 1] ?? null;

  // "Since" counts back from when the filters were set, not from each render.
  const filter = useMemo(() => toExecutionFilter(parseFilters(new URLSearchParams(filterKey)), Date.now()), [filterKey]);
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: ExecutionsDocument.toString(),
    variables: { filter, first: PAGE_SIZE, after },
  });
  // Live: a change carries the execution, which the cache normalises over its row. Which rows the page
  // holds changes only with a new run (on the first page) or a status under a status filter: refetch then.
  const refetch = useThrottled(() => reexecute({ requestPolicy: 'network-only' }), REFETCH_MS);
  const view = useRef({ firstPage: true, byStatus: false });
  view.current = { firstPage: cursors.length === 1, byStatus: status !== null };
  useLiveSubscription(
    { query: ExecutionsChangedDocument.toString(), variables: { filter: workflow ? { workflow } : null } },
    (_previous, change) => {
      const created = change.executionsChanged.type === 'execution.created';
      if ((created && view.current.firstPage) || view.current.byStatus) refetch();
      return change;
    },
    refetch,
  );

  const setFilter = (name: FilterName, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next);
  };

  const live = useLiveConnection();

  const connection = data?.executions;
  const filtered = isFiltered(filters);
  return (
    <section>
      <header className="page-header">
        <h1>Executions</h1>
        {live ? <span className="live">● live</span> : null}
      </header>
      <ExecutionFilters filters={filters} onChange={setFilter} />
      {error ? <ErrorNotice error={error} /> : null}
      {connection && connection.nodes.length === 0 && cursors.length === 1 ? <EmptyState filtered={filtered} /> : null}
      {connection && connection.nodes.length > 0 ? <ExecutionsTable rows={connection.nodes} /> : null}
      {!connection && fetching ? <p className="muted">Loading…</p> : null}
      <Pager cursors={cursors} setCursors={setCursors} pageInfo={connection?.pageInfo} labels={['Newer', 'Older']} />
    </section>
  );
}
