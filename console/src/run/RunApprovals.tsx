import { useEffect, useMemo, useRef } from 'react';
import { useQuery, useSubscription } from 'urql';
import { ApprovalView } from '../approvals/ApprovalView';
import { ApprovalsChangedDocument, RunApprovalsDocument, type RunEventFragment, type RunStepFragment } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';

interface Props {
  runId: string;
  steps: readonly RunStepFragment[];
  events: readonly RunEventFragment[];
}

/**
 * The run's approval requests: what each asked, who decided what with which comment, and Approve /
 * Reject for a viewer who may decide now. Read again whenever an approval step's event arrives (the
 * request opened, was decided, timed out); decisions that do not close it reach an approver's page by
 * `approvalsChanged`, which updates the request in the cache.
 */
export function RunApprovals({ runId, steps, events }: Props) {
  const approvalSteps = useMemo(() => new Set(steps.filter((step) => step.type === 'APPROVAL').map((step) => step.key)), [steps]);
  const [{ data, error }, reexecute] = useQuery({
    query: RunApprovalsDocument.toString(),
    variables: { id: runId },
    pause: approvalSteps.size === 0,
  });
  const news = useMemo(
    () => events.filter((event) => event.stepKey !== null && event.stepKey !== undefined && approvalSteps.has(event.stepKey)).length,
    [events, approvalSteps],
  );
  const seen = useRef(news);
  useEffect(() => {
    if (news === seen.current) return;
    seen.current = news;
    reexecute({ requestPolicy: 'network-only' });
  }, [news, reexecute]);
  useSubscription({ query: ApprovalsChangedDocument.toString(), pause: approvalSteps.size === 0 });

  const approvals = data?.execution.approvals ?? [];
  if (approvalSteps.size === 0) return null;
  return (
    <section className="run-approvals" aria-label="Approvals">
      <h2>Approvals</h2>
      {error ? <ErrorNotice error={error} /> : null}
      {approvals.length === 0 && data ? <p className="muted">No approval asked yet.</p> : null}
      {approvals.map((approval) => (
        <article key={approval.step} className="approval-card" aria-label={`Approval ${approval.step}`}>
          <h3>{approval.step}</h3>
          <ApprovalView approval={approval} />
        </article>
      ))}
    </section>
  );
}
