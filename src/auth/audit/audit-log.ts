import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { transactionQueryable, type Queryable } from '../../infra/queryable.js';
import { AuditRecord, type AuditActorKind } from '../../entities/auth/audit-record.entity.js';
import { AppError } from '../../errors.js';
import { clockOf, type Clock } from '../clock.js';
import { TENANT_FILTER } from '../tenant-scope.js';
import { UUID } from '../tenants.js';
import { isPlatformAdmin, type Viewer } from '../viewer.js';

/** Who did it, as the audit log names them: the name they had then is kept with the id. */
export interface AuditActor {
  kind: AuditActorKind;
  id: string | null;
  name: string;
}

export interface AuditEntry {
  tenantId: string | null;
  actor: AuditActor;
  operation: string;
  targetType?: string | null | undefined;
  targetId?: string | null | undefined;
  requestId?: string | null | undefined;
  /** `ok` or an error code. */
  outcome: string;
  /** The workflow version it is about (a definition change's, a run's). */
  workflowId?: string | null | undefined;
  workflowVersion?: number | null | undefined;
}

export const ANONYMOUS: AuditActor = { kind: 'anonymous', id: null, name: 'anonymous' };

export function actorOfViewer(viewer: Viewer | undefined): AuditActor {
  if (!viewer) return ANONYMOUS;
  return viewer.kind === 'user'
    ? { kind: 'user', id: viewer.userId, name: viewer.email }
    : { kind: 'apiKey', id: viewer.apiKeyId, name: viewer.name };
}

const INSERT_AUDIT_RECORD = `insert into audit_log
  (at, tenant_id, actor_kind, actor_id, actor_name, operation, target_type, target_id, request_id, outcome, workflow_id, workflow_version)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;

/**
 * The one way a record is written: one INSERT on `db` — the request's transaction (`transactionQueryable(em)`),
 * the engine's own transaction (handed to an audited engine operation), or, alone, a transaction of its own.
 */
export async function appendAuditRecord(db: Queryable, clock: Clock, entry: AuditEntry): Promise<void> {
  await db.query(INSERT_AUDIT_RECORD, [
    clock.now(),
    entry.tenantId,
    entry.actor.kind,
    entry.actor.id,
    entry.actor.name.slice(0, 200),
    entry.operation,
    entry.targetType ?? null,
    entry.targetId ?? null,
    entry.requestId ?? null,
    entry.outcome,
    entry.workflowId ?? null,
    entry.workflowVersion ?? null,
  ]);
}

/** In `em`'s open transaction: it commits or rolls back with the caller's writes. */
export async function appendAuditRecordIn(em: EntityManager, entry: AuditEntry): Promise<void> {
  await appendAuditRecord(transactionQueryable(em), clockOf(em), entry);
}

/** A record in a transaction of its own (a refusal, a sign-in). */
export async function writeAuditRecord(em: EntityManager, entry: AuditEntry): Promise<void> {
  await appendAuditRecord(transactionQueryable(em.fork()), clockOf(em), entry);
}

export interface AuditLogFilter {
  /** An actor's id (user or API key) or name (e-mail, key name). */
  actor?: string | null | undefined;
  operation?: string | null | undefined;
  /** A target's id. */
  target?: string | null | undefined;
  from?: Date | null | undefined;
  to?: Date | null | undefined;
}

export interface AuditLogPage {
  records: AuditRecord[];
  hasNextPage: boolean;
}

const MAX_PAGE = 100;

/**
 * Whose records a viewer reads: their tenant's — the platform admin's also those of no tenant — or, for
 * the platform admin only, another tenant's (`tenant`), where what it did in that tenant is recorded.
 */
export function auditScope(viewer: Viewer, tenant: string | null | undefined): { tenantId: string; withoutTenant: boolean } {
  if (tenant == null || tenant === viewer.tenantId) return { tenantId: viewer.tenantId, withoutTenant: isPlatformAdmin(viewer) };
  if (!isPlatformAdmin(viewer)) throw new AppError('FORBIDDEN', "only the platform admin reads another tenant's audit log");
  if (!UUID.test(tenant)) throw new AppError('BAD_USER_INPUT', 'filter.tenant must be a tenant id');
  return { tenantId: tenant, withoutTenant: false };
}

/**
 * One tenant's records, newest first, `first` at a time after the cursor (a record's id). `withoutTenant`
 * (the platform admin's): also the records that belong to no tenant — sign-ins refused for unknown e-mails.
 */
export async function listAuditLog(
  em: EntityManager,
  scope: { tenantId: string; withoutTenant: boolean },
  filter: AuditLogFilter,
  first: number,
  after: string | null | undefined,
): Promise<AuditLogPage> {
  const { tenantId, withoutTenant } = scope;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw new AppError('BAD_USER_INPUT', `first must be 1 to ${MAX_PAGE}`);
  if (after != null && !/^[1-9][0-9]{0,18}$/.test(after))
    throw new AppError('BAD_USER_INPUT', 'after must be the endCursor of a previous page');
  const where: FilterQuery<AuditRecord> = withoutTenant
    ? { $and: [{ $or: [{ tenant: tenantId }, { tenant: null }] }] }
    : { tenant: tenantId };
  if (after != null) where.id = { $lt: after };
  if (filter.actor) where.$or = [{ actorId: filter.actor }, { actorName: filter.actor.toLowerCase() }, { actorName: filter.actor }];
  if (filter.operation) where.operation = filter.operation;
  if (filter.target) where.targetId = filter.target;
  if (filter.from || filter.to) where.at = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
  // The where above scopes: the request's tenant filter would hide the records of no tenant, and another tenant's.
  const rows = await em.find(AuditRecord, where, { orderBy: { id: 'desc' }, limit: first + 1, filters: { [TENANT_FILTER]: false } });
  return { records: rows.slice(0, first), hasNextPage: rows.length > first };
}
