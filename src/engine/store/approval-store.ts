import type { ApprovalDecisionKind, ApprovalStatus } from '../../entities/approval.entity.js';
import type { JsonObject, JsonValue } from '../../entities/json.js';
import { sqlList, UNFINISHED_EXECUTION_STATUSES } from '../../entities/statuses.js';
import { AppError } from '../../errors.js';
import { decodeCursor, pageOf, pageSize } from './paging.js';
import type { Queryable } from '../../infra/queryable.js';
import { cursorTime } from './read-rows.js';

/** The approval requests of `approval` steps and people's decisions on them (SQL in one place). */

const UNFINISHED = sqlList(UNFINISHED_EXECUTION_STATUSES);
export const MAX_APPROVAL_PAGE_SIZE = 100;

/** A person deciding: only signed-in users decide. Their role's permissions are what `permission` approvers match. */
export interface Approver {
  tenantId: string;
  userId: string;
  email: string;
  role: string;
  permissions: readonly string[];
}

export interface ApprovalDecisionRecord {
  userId: string;
  email: string;
  decision: ApprovalDecisionKind;
  comment: string | null;
  at: Date;
}

export interface ApprovalRecord {
  executionId: string;
  stepKey: string;
  tenantId: string;
  workflowId: string;
  workflowVersion: number;
  prompt: string;
  data: JsonValue | null;
  approvers: { roles: string[]; permission: string | null; users: string[] };
  required: number;
  expiresAt: Date | null;
  status: ApprovalStatus;
  decidedAt: Date | null;
  createdAt: Date;
  decisions: ApprovalDecisionRecord[];
}

/** What an approval step asks, its templates resolved. */
export interface ApprovalOpening {
  tenantId: string;
  executionId: string;
  stepKey: string;
  prompt: string;
  data: JsonValue | null;
  roles: readonly string[];
  permission: string | null;
  /** Lower-cased e-mails or user ids. */
  users: readonly string[];
  required: number;
  expiresAt: Date | null;
}

interface RequestRow {
  execution_id: string;
  step_key: string;
  tenant_id: string;
  workflow_id: string;
  workflow_version: number;
  prompt: string;
  data: JsonValue | null;
  approver_roles: string[];
  approver_permission: string | null;
  approver_users: string[];
  required: number;
  expires_at: Date | null;
  status: ApprovalStatus;
  decided_at: Date | null;
  created_at: Date;
  decisions: Array<{ user_id: string; user_email: string; decision: ApprovalDecisionKind; comment: string | null; decided_at: string }>;
}

/** Who may decide, the one rule: `$approver` names the viewer's user id, e-mail, role and permissions, from $a on. */
function eligible(a: number): string {
  return `(r.approver_users && array[$${a}::text, lower($${a + 1}::text)] or $${a + 2}::text = any(r.approver_roles) or r.approver_permission = any($${a + 3}::text[]))`;
}
const approverParams = (approver: Approver): unknown[] => [approver.userId, approver.email, approver.role, [...approver.permissions]];

const REQUEST_COLUMNS = `r.execution_id, r.step_key, r.tenant_id, e.workflow_id, e.workflow_version, r.prompt, r.data, r.approver_roles,
  r.approver_permission, r.approver_users, r.required, r.expires_at, r.status, r.decided_at, r.created_at,
  coalesce((select json_agg(json_build_object('user_id', d.user_id, 'user_email', d.user_email, 'decision', d.decision,
    'comment', d.comment, 'decided_at', d.decided_at) order by d.decided_at, d.user_id)
    from approval_decisions d where d.execution_id = r.execution_id and d.step_key = r.step_key), '[]') as decisions`;
const REQUEST_FROM = 'approval_requests r join executions e on e.id = r.execution_id';

function toRecord(row: RequestRow): ApprovalRecord {
  return {
    executionId: row.execution_id,
    stepKey: row.step_key,
    tenantId: row.tenant_id,
    workflowId: row.workflow_id,
    workflowVersion: row.workflow_version,
    prompt: row.prompt,
    data: row.data,
    approvers: { roles: row.approver_roles, permission: row.approver_permission, users: row.approver_users },
    required: row.required,
    expiresAt: row.expires_at,
    status: row.status,
    decidedAt: row.decided_at,
    createdAt: row.created_at,
    decisions: row.decisions.map((d) => ({
      userId: d.user_id,
      email: d.user_email,
      decision: d.decision,
      comment: d.comment,
      at: new Date(d.decided_at),
    })),
  };
}

export async function loadApproval(
  db: Queryable,
  tenantId: string,
  executionId: string,
  stepKey: string,
): Promise<ApprovalRecord | undefined> {
  const [row] = await db.query<RequestRow>(
    `select ${REQUEST_COLUMNS} from ${REQUEST_FROM} where r.tenant_id = $1 and r.execution_id = $2 and r.step_key = $3`,
    [tenantId, executionId, stepKey],
  );
  return row && toRecord(row);
}

/** Opens the request once: a step run again (a worker took the run over) finds the one it opened. */
export async function openApproval(db: Queryable, opening: ApprovalOpening): Promise<{ record: ApprovalRecord; opened: boolean }> {
  const inserted = await db.query(
    `insert into approval_requests (execution_id, step_key, tenant_id, prompt, data, approver_roles, approver_permission, approver_users, required, expires_at, status, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', now()) on conflict do nothing returning execution_id`,
    [
      opening.executionId,
      opening.stepKey,
      opening.tenantId,
      opening.prompt,
      JSON.stringify(opening.data),
      opening.roles,
      opening.permission,
      opening.users,
      opening.required,
      opening.expiresAt,
    ],
  );
  const record = await loadApproval(db, opening.tenantId, opening.executionId, opening.stepKey);
  if (!record) throw new Error(`approval request ${opening.executionId}/${opening.stepKey} was not recorded`);
  return { record, opened: inserted.length > 0 };
}

/** Closes a request still pending at its deadline; a decision that came first stands. */
export async function expireApproval(
  db: Queryable,
  tenantId: string,
  executionId: string,
  stepKey: string,
): Promise<{ record: ApprovalRecord; expired: boolean }> {
  const changed = await db.query(
    `update approval_requests set status = 'timed_out', decided_at = now()
     where tenant_id = $1 and execution_id = $2 and step_key = $3 and status = 'pending' returning execution_id`,
    [tenantId, executionId, stepKey],
  );
  const record = await loadApproval(db, tenantId, executionId, stepKey);
  if (!record) throw new Error(`approval request ${executionId}/${stepKey} is gone`);
  return { record, expired: changed.length > 0 };
}

/** A retry from these steps asks again. */
export async function forgetApprovals(db: Queryable, executionId: string, stepKeys: readonly string[]): Promise<void> {
  await db.query('delete from approval_decisions where execution_id = $1 and step_key = any($2::text[])', [executionId, stepKeys]);
  await db.query('delete from approval_requests where execution_id = $1 and step_key = any($2::text[])', [executionId, stepKeys]);
}

export interface DecisionInput {
  approver: Approver;
  executionId: string;
  stepKey: string;
  decision: ApprovalDecisionKind;
  comment: string | null;
  now: Date;
}

/**
 * One person's decision, in the caller's transaction. The request row is locked, so concurrent deciders
 * take turns: each sees what the one before decided. Refused: NOT_FOUND (no such request in the tenant),
 * FORBIDDEN (not an approver), CONFLICT (this person decided already), INVALID_STATE (decided, timed out,
 * or the run ended). Returns the request as it is after, `closed` when this decision decided it.
 */
export async function decideApproval(db: Queryable, input: DecisionInput): Promise<{ record: ApprovalRecord; closed: boolean }> {
  const { approver, executionId, stepKey } = input;
  const [row] = await db.query<{
    status: ApprovalStatus;
    expires_at: Date | null;
    run_status: string;
    may_decide: boolean;
    required: number;
  }>(
    `select r.status, r.expires_at, e.status as run_status, r.required, ${eligible(4)} as may_decide
     from ${REQUEST_FROM} where r.tenant_id = $1 and r.execution_id = $2 and r.step_key = $3 for update of r`,
    [approver.tenantId, executionId, stepKey, ...approverParams(approver)],
  );
  if (!row) throw new AppError('NOT_FOUND', `execution ${executionId} has no approval step "${stepKey}" asking for a decision`);
  if (!row.may_decide) throw new AppError('FORBIDDEN', `you are not among the approvers of step "${stepKey}"`);
  const [mine] = await db.query<{ decision: string }>(
    'select decision from approval_decisions where execution_id = $1 and step_key = $2 and user_id = $3',
    [executionId, stepKey, approver.userId],
  );
  if (mine)
    throw new AppError('CONFLICT', `you already decided step "${stepKey}" (${mine.decision})`, {
      details: { reason: 'already_decided', decision: mine.decision },
    });
  if (row.status !== 'pending')
    throw new AppError('INVALID_STATE', `step "${stepKey}" is decided already: ${row.status}`, { details: { status: row.status } });
  if (!UNFINISHED_EXECUTION_STATUSES.some((status) => status === row.run_status)) {
    throw new AppError('INVALID_STATE', `execution ${executionId} is ${row.run_status}`, { details: { status: row.run_status } });
  }
  if (row.expires_at && input.now >= row.expires_at)
    throw new AppError('INVALID_STATE', `step "${stepKey}" timed out at ${row.expires_at.toISOString()}`, {
      details: { status: 'timed_out' },
    });
  await db.query(
    `insert into approval_decisions (execution_id, step_key, user_id, tenant_id, user_email, decision, comment, decided_at) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [executionId, stepKey, approver.userId, approver.tenantId, approver.email.toLowerCase(), input.decision, input.comment, input.now],
  );
  const closed = await db.query(
    `update approval_requests r set status = case when $3 = 'reject' then 'rejected' else 'approved' end, decided_at = $4
     where r.execution_id = $1 and r.step_key = $2 and r.status = 'pending'
       and ($3 = 'reject' or (select count(*) from approval_decisions d where d.execution_id = $1 and d.step_key = $2 and d.decision = 'approve') >= r.required)
     returning r.execution_id`,
    [executionId, stepKey, input.decision, input.now],
  );
  const record = await loadApproval(db, approver.tenantId, executionId, stepKey);
  if (!record) throw new Error(`approval request ${executionId}/${stepKey} is gone`);
  return { record, closed: closed.length > 0 };
}

/**
 * A request this approver may decide now: pending, of a run not ended, not past its deadline, not decided
 * by them already ($1 the tenant, $2 now, the approver from $3 on: see `decidableParams`).
 */
const DECIDABLE = `r.tenant_id = $1 and r.status = 'pending' and e.status in ${UNFINISHED} and (r.expires_at is null or r.expires_at > $2)
  and ${eligible(3)}
  and not exists (select 1 from approval_decisions d where d.execution_id = r.execution_id and d.step_key = r.step_key and d.user_id::text = $3::text)`;
const decidableParams = (approver: Approver, now: Date): unknown[] => [approver.tenantId, now, ...approverParams(approver)];

/** The requests this approver may decide now, oldest first. Keyset-paged by (opened at, execution, step). */
export async function pendingApprovals(db: Queryable, approver: Approver, first: number, after: string | undefined, now: Date) {
  const limit = pageSize(first, MAX_APPROVAL_PAGE_SIZE);
  const params: unknown[] = [...decidableParams(approver, now), limit + 1];
  let keyset = '';
  if (after !== undefined) {
    const [at, executionId, stepKey] = decodeCursor(after, (parts) => parts.length === 3 && !Number.isNaN(Date.parse(parts[0] ?? '')));
    params.push(at, executionId, stepKey);
    keyset = `and (r.created_at, r.execution_id::text, r.step_key) > ($8::timestamptz, $9::text, $10::text)`;
  }
  const rows = await db.query<RequestRow & { cursor_at: string }>(
    `select ${REQUEST_COLUMNS}, ${cursorTime('r.created_at')} as cursor_at from ${REQUEST_FROM}
     where ${DECIDABLE} ${keyset}
     order by r.created_at, r.execution_id::text, r.step_key limit $7`,
    params,
  );
  return pageOf(rows, limit, (row) => [row.cursor_at, row.execution_id, row.step_key], toRecord);
}

/** Whether this approver is (or was) among those who may decide that request: what live notices are filtered by. */
export async function mayDecide(db: Queryable, approver: Approver, executionId: string, stepKey: string): Promise<boolean> {
  const rows = await db.query(
    `select 1 from approval_requests r where r.tenant_id = $1 and r.execution_id = $2 and r.step_key = $3 and ${eligible(4)}`,
    [approver.tenantId, executionId, stepKey, ...approverParams(approver)],
  );
  return rows.length > 0;
}

/** Whether this approver may decide that request now (what would put it in their pendingApprovals). */
export async function mayDecideNow(db: Queryable, approver: Approver, executionId: string, stepKey: string, now: Date): Promise<boolean> {
  const rows = await db.query(`select 1 from ${REQUEST_FROM} where ${DECIDABLE} and r.execution_id = $7 and r.step_key = $8`, [
    ...decidableParams(approver, now),
    executionId,
    stepKey,
  ]);
  return rows.length > 0;
}

/** A run's approval requests, whatever their status, in the order they opened. */
export async function approvalsOfRun(db: Queryable, tenantId: string, executionId: string): Promise<ApprovalRecord[]> {
  const rows = await db.query<RequestRow>(
    `select ${REQUEST_COLUMNS} from ${REQUEST_FROM} where r.tenant_id = $1 and r.execution_id = $2 order by r.created_at, r.step_key`,
    [tenantId, executionId],
  );
  return rows.map(toRecord);
}

/**
 * `approval.decided` in the run's event log, in the decision's transaction: who decided what, and where the
 * request stands after it. Its sequence number is taken from the run's counter, as every writer of the log
 * does, so it never collides with the worker's checkpoints.
 */
export async function recordDecisionEvent(
  tx: Queryable,
  decided: { tenantId: string; executionId: string; stepKey: string; payload: JsonObject },
): Promise<{ seq: number; at: Date }> {
  const [row] = await tx.query<{ seq: number; at: Date }>(
    `with bumped as (
       update executions set last_event_seq = last_event_seq + 1, updated_at = now() where id = $1 and tenant_id = $2 returning id, last_event_seq
     )
     insert into execution_events (execution_id, seq, type, step_key, payload, created_at)
     select id, last_event_seq, 'approval.decided', $3, $4::jsonb, now() from bumped
     returning seq, created_at as at`,
    [decided.executionId, decided.tenantId, decided.stepKey, JSON.stringify(decided.payload)],
  );
  if (!row) throw new Error(`execution ${decided.executionId} vanished while its approval was decided`);
  return { seq: Number(row.seq), at: new Date(row.at) };
}
