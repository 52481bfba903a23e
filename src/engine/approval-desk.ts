import type { ApprovalDecisionKind } from '../entities/approval.entity.js';
import type { JsonObject } from '../entities/json.js';
import { publishExecutionEvents } from './execution-feed.js';
import type { Logger } from '../logger.js';
import type { Clock, EventPublisher, OperationOptions } from './ports.js';
import {
  approvalsOfRun,
  decideApproval,
  expireApproval,
  loadApproval,
  mayDecide,
  mayDecideNow,
  openApproval,
  pendingApprovals,
  recordDecisionEvent,
  type ApprovalOpening,
  type ApprovalRecord,
  type Approver,
} from './store/approval-store.js';
import { signal } from './store/execution-store.js';
import type { Page } from './store/read-models.js';
import type { Queryable } from '../infra/queryable.js';

export type { ApprovalOpening, ApprovalRecord, ApprovalDecisionRecord, Approver } from './store/approval-store.js';
export { MAX_APPROVAL_PAGE_SIZE } from './store/approval-store.js';

/** A tenant's approval requests opening, gaining a decision, and closing, published after commit. */
export const approvalsTopic = (tenantId: string) => `approvals.${tenantId}`;

export const APPROVAL_CHANGES = ['opened', 'decided', 'approved', 'rejected', 'timed_out'] as const;
export type ApprovalChange = (typeof APPROVAL_CHANGES)[number];

export interface ApprovalNotice {
  tenantId: string;
  executionId: string;
  stepKey: string;
  /** `decided`: a decision that did not close it (N of M, fewer than N so far). */
  change: ApprovalChange;
  /** ISO-8601 */
  at: string;
}

export interface DecideInput {
  approver: Approver;
  executionId: string;
  stepKey: string;
  decision: ApprovalDecisionKind;
  comment: string | null;
}

/**
 * Approval steps' requests: opened and closed by the step (worker side), decided by people (API side).
 * A decision that closes a request signals its run, which resumes the step on any worker.
 */
export interface ApprovalDesk {
  load(tenantId: string, executionId: string, stepKey: string): Promise<ApprovalRecord | undefined>;
  open(opening: ApprovalOpening): Promise<ApprovalRecord>;
  expire(tenantId: string, executionId: string, stepKey: string): Promise<ApprovalRecord>;
  /** One person's decision, with the caller's statement (the audit record) in its transaction. */
  decide(input: DecideInput, options?: OperationOptions): Promise<ApprovalRecord>;
  pending(approver: Approver, first: number, after: string | undefined): Promise<Page<ApprovalRecord>>;
  mayDecide(approver: Approver, executionId: string, stepKey: string): Promise<boolean>;
  /** Whether this approver may decide that request now: it would be in their `pending`. */
  mayDecideNow(approver: Approver, executionId: string, stepKey: string): Promise<boolean>;
  ofRun(tenantId: string, executionId: string): Promise<ApprovalRecord[]>;
}

export interface ApprovalDeskDeps {
  db: Queryable;
  inTransaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  publisher: EventPublisher;
  logger: Logger;
  clock: Clock;
  wakeWorkers(): void;
}

export function createApprovalDesk(deps: ApprovalDeskDeps): ApprovalDesk {
  const { db, clock, logger } = deps;
  const announce = (record: ApprovalRecord, change: ApprovalChange): void => {
    const notice: ApprovalNotice = {
      tenantId: record.tenantId,
      executionId: record.executionId,
      stepKey: record.stepKey,
      change,
      at: clock.now().toISOString(),
    };
    const topic = approvalsTopic(record.tenantId);
    // A lost notice costs a subscriber freshness, never a decision: pendingApprovals reads the table.
    deps.publisher.publish(topic, notice).catch((error: unknown) => logger.warn({ err: error, topic }, 'approval notice not published'));
  };
  return {
    load: (tenantId, executionId, stepKey) => loadApproval(db, tenantId, executionId, stepKey),
    async open(opening) {
      const { record, opened } = await openApproval(db, opening);
      if (opened) announce(record, 'opened');
      return record;
    },
    async expire(tenantId, executionId, stepKey) {
      const { record, expired } = await expireApproval(db, tenantId, executionId, stepKey);
      if (expired) announce(record, 'timed_out');
      return record;
    },
    async decide(input, options) {
      const { record, closed, logged } = await deps.inTransaction(async (tx) => {
        const decided = await decideApproval(tx, { ...input, now: clock.now() });
        const payload: JsonObject = {
          decision: input.decision,
          by: input.approver.email,
          userId: input.approver.userId,
          comment: input.comment,
          status: decided.record.status,
          approvals: decided.record.decisions.filter((each) => each.decision === 'approve').length,
          required: decided.record.required,
        };
        const event = await recordDecisionEvent(tx, {
          tenantId: input.approver.tenantId,
          executionId: input.executionId,
          stepKey: input.stepKey,
          payload,
        });
        if (decided.closed) await signal(tx, input.approver.tenantId, input.executionId);
        await options?.inTransaction?.(tx, {
          executionId: input.executionId,
          workflowId: decided.record.workflowId,
          version: decided.record.workflowVersion,
        });
        return { ...decided, logged: { ...event, payload } };
      });
      // The run's followers (executionProgress) see the decision as it happens, not when the step resumes.
      publishExecutionEvents(deps.publisher, logger, [
        {
          executionId: input.executionId,
          tenantId: input.approver.tenantId,
          seq: logged.seq,
          type: 'approval.decided',
          stepKey: input.stepKey,
          payload: logged.payload,
          at: logged.at.toISOString(),
        },
      ]);
      if (closed) deps.wakeWorkers();
      announce(record, closed ? (record.status === 'rejected' ? 'rejected' : 'approved') : 'decided');
      return record;
    },
    pending: (approver, first, after) => pendingApprovals(db, approver, first, after, clock.now()),
    mayDecide: (approver, executionId, stepKey) => mayDecide(db, approver, executionId, stepKey),
    mayDecideNow: (approver, executionId, stepKey) => mayDecideNow(db, approver, executionId, stepKey, clock.now()),
    ofRun: (tenantId, executionId) => approvalsOfRun(db, tenantId, executionId),
  };
}
