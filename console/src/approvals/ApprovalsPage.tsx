import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useViewer } from '../auth/ViewerProvider';
import { ApprovalsChangedDocument, PendingApprovalsDocument } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Pager } from '../ui/Pager';
import { useLiveConnection, useLiveSubscription } from '../ui/useLiveSubscription';
import { useThrottled } from '../ui/useThrottled';
import { ApprovalView } from './ApprovalView';

const PAGE_SIZE = 20;
const REFETCH_MS = 500;

/**
 * The viewer's approvals inbox: the requests they may decide now (`pendingApprovals`), live — a request
 * that opens, or that someone else decides, comes or goes without a reload (`approvalsChanged`) — each
 * with its prompt and data, decided here with a comment. Only people decide: an API key is told so.
 */
export function ApprovalsPage() {
  const viewer = useViewer();
  if (viewer.kind !== 'USER') {
    return (
      <section>
        <h1>Approvals</h1>
        <p className="empty">Approvals are decided by people: sign in with your e-mail and password to see the ones waiting for you.</p>
      </section>
    );
  }
  return <Inbox />;
}

function Inbox() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: PendingApprovalsDocument.toString(),
    variables: { first: PAGE_SIZE, after },
  });
  const [done, setDone] = useState<string | null>(null);
  const live = useLiveConnection();

  const refetch = useThrottled(() => reexecute({ requestPolicy: 'network-only' }), REFETCH_MS);
  useLiveSubscription(
    { query: ApprovalsChangedDocument.toString() },
    (_previous, change) => {
      refetch();
      return change;
    },
    refetch,
  );

  const page = data?.pendingApprovals;
  return (
    <section className="approvals">
      <header className="run-header">
        <h1>Approvals</h1>
        {live ? <span className="live">● live</span> : null}
      </header>
      <p className="muted">Steps waiting for your decision, oldest first.</p>
      {done ? (
        <p role="status" className="notice">
          {done}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
      {page && page.nodes.length === 0 ? (
        <p className="empty">
          Nothing waits for you. An <code>approval</code> step of a workflow asks its approvers here when a run reaches it (see the
          definition language, &ldquo;approval&rdquo;).
        </p>
      ) : null}
      {page?.nodes.map((approval) => (
        <article
          key={`${approval.executionId}:${approval.step}`}
          className="approval-card"
          aria-label={`Approval ${approval.step} of run ${approval.executionId}`}
        >
          <h2>
            {approval.step}{' '}
            <span className="muted">
              · {approval.execution.workflow.name} v{approval.execution.workflowVersion}
            </span>
          </h2>
          <p>
            Run <Link to={`/executions/${approval.executionId}`}>{approval.executionId}</Link>
          </p>
          <ApprovalView
            approval={approval}
            onDecided={(decision, decided) => {
              setDone(`You ${decision} ${decided.step} of run ${decided.executionId}.`);
              refetch();
            }}
          />
        </article>
      ))}
      {!page && fetching ? <p className="muted">Loading…</p> : null}
      {cursors.length > 1 || page?.pageInfo.hasNextPage ? (
        <Pager cursors={cursors} setCursors={setCursors} pageInfo={page?.pageInfo} labels={['Earlier', 'Later']} />
      ) : null}
    </section>
  );
}
