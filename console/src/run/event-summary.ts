import { formatTime } from '../ui/format.js';

/**
 * One line of plain words for the log events whose payload says something a person asks about (who
 * decided an approval and how, what an approval step waits for, which branch a condition took); null for
 * the others, whose type says it all (their payload stays a fold away). Pure.
 */
export interface SummarisedEvent {
  type: string;
  payload: Record<string, unknown>;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const count = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/** "2 of 3 approvals". */
export function approvalsOf(approvals: unknown, required: unknown): string | null {
  const have = count(approvals);
  const need = count(required);
  return have === null || need === null ? null : `${have} of ${need} approval${need === 1 ? '' : 's'}`;
}

/** `approval.decided`: "ana@x approved (1 of 2 approvals): “fine”", and the request's end when this closed it. */
export function decisionSummary(payload: Record<string, unknown>): string {
  const by = text(payload['by']) ?? 'someone';
  const verb =
    payload['decision'] === 'approve'
      ? 'approved'
      : payload['decision'] === 'reject'
        ? 'rejected'
        : `decided ${String(payload['decision'])}`;
  const tally = approvalsOf(payload['approvals'], payload['required']);
  const comment = text(payload['comment']);
  const status = text(payload['status']);
  const closed = status && status !== 'pending' ? ` · request ${status.replace('_', ' ')}` : '';
  return `${by} ${verb}${tally ? ` (${tally})` : ''}${comment ? `: “${comment}”` : ''}${closed}`;
}

export function eventSummary(event: SummarisedEvent): string | null {
  const { payload } = event;
  switch (event.type) {
    case 'approval.decided':
      return decisionSummary(payload);
    case 'step.waiting': {
      const awaiting = payload['awaitingApproval'];
      if (typeof awaiting !== 'object' || awaiting === null) return null;
      const request = awaiting as Record<string, unknown>;
      const tally = approvalsOf(request['approvals'], request['required']);
      const until = text(request['expiresAt']);
      return `awaiting approval${tally ? ` (${tally})` : ''}${until ? ` until ${formatTime(until)}` : ''}`;
    }
    case 'step.branched':
      return text(payload['branch']) ? `took the ${String(payload['branch'])} branch` : null;
    case 'execution.queued':
      return 'queued behind its concurrency limit';
    default:
      return null;
  }
}
