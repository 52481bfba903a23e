import { useId, useState } from 'react';
import { useMutation } from 'urql';
import { ApproveStepDocument, RejectStepDocument, type ApprovalFragment } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatJson, formatTime } from '../ui/format';
import { StatusBadge } from '../ui/StatusBadge';

interface Props {
  approval: ApprovalFragment;
  /** After the viewer's decision went through (the inbox says so and lists again). */
  onDecided?: ((decision: 'approved' | 'rejected', approval: ApprovalFragment) => void) | undefined;
}

/**
 * What an approval step asks (prompt, data), how far it got (N of required, each decision with its
 * comment) and, when the API says the viewer may decide it now (`youMayDecide`), Approve / Reject with a
 * comment. Used by the inbox and by the run page.
 */
export function ApprovalView({ approval, onDecided }: Props) {
  return (
    <div className="approval">
      <p className="approval-prompt">{approval.prompt}</p>
      <dl>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={approval.status} /> {approval.approvals} of {approval.required} approval{approval.required === 1 ? '' : 's'}
        </dd>
        <dt>Opened</dt>
        <dd>{formatTime(approval.openedAt)}</dd>
        {approval.expiresAt ? (
          <>
            <dt>{approval.status === 'PENDING' ? 'Expires' : 'Deadline'}</dt>
            <dd>{formatTime(approval.expiresAt)}</dd>
          </>
        ) : null}
        <dt>Approvers</dt>
        <dd>{approversOf(approval.approvers)}</dd>
        {approval.data !== null && approval.data !== undefined ? (
          <>
            <dt>Data</dt>
            <dd>
              <pre>{formatJson(approval.data)}</pre>
            </dd>
          </>
        ) : null}
      </dl>
      {approval.decisions.length ? (
        <ul className="decisions" aria-label="Decisions">
          {approval.decisions.map((decision) => (
            <li key={decision.userId}>
              <strong>{decision.decision === 'APPROVE' ? 'Approved' : 'Rejected'}</strong> by {decision.by}, {formatTime(decision.at)}
              {decision.comment ? <q>{decision.comment}</q> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {approval.youMayDecide ? <DecisionForm approval={approval} onDecided={onDecided} /> : null}
    </div>
  );
}

function approversOf(approvers: ApprovalFragment['approvers']): string {
  const who = [
    ...approvers.roles.map((role) => `role ${role.toLowerCase()}`),
    ...(approvers.permission ? [`permission ${approvers.permission}`] : []),
    ...approvers.users,
  ];
  return who.join(', ');
}

function DecisionForm({ approval, onDecided }: Props) {
  const [comment, setComment] = useState('');
  const [approving, approve] = useMutation(ApproveStepDocument.toString());
  const [rejecting, reject] = useMutation(RejectStepDocument.toString());
  const commentId = useId();
  const busy = approving.fetching || rejecting.fetching;
  const variables = { executionId: approval.executionId, step: approval.step, comment: comment.trim() || null };
  const decide = async (decision: 'approved' | 'rejected') => {
    const result = decision === 'approved' ? await approve(variables) : await reject(variables);
    const decided = result.data && ('approveStep' in result.data ? result.data.approveStep : result.data.rejectStep);
    if (decided) onDecided?.(decision, decided);
  };
  const error = approving.error ?? rejecting.error;
  return (
    <form className="approval-decision" aria-label={`Decide ${approval.step}`} onSubmit={(event) => event.preventDefault()}>
      <label htmlFor={commentId}>Comment</label>
      <textarea id={commentId} rows={2} value={comment} onChange={(event) => setComment(event.target.value)} />
      <div className="run-actions">
        <button type="button" disabled={busy} onClick={() => void decide('approved')}>
          Approve
        </button>
        <button type="button" disabled={busy} onClick={() => void decide('rejected')}>
          Reject
        </button>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
    </form>
  );
}
