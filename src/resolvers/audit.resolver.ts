import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { auditScope, listAuditLog } from '../auth/audit/audit-log.js';
import { Requires } from '../auth/auth-checker.js';
import { inTenantTransaction } from '../auth/tenant-scope.js';
import { requireViewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import type { AuditRecord } from '../entities/auth/audit-record.entity.js';
import { AuditLogConnectionType, AuditLogFilterInput, type AuditRecordType } from '../schema/types/audit.type.js';

function toAuditRecordType(record: AuditRecord): AuditRecordType {
  return {
    // A bigint column: the driver may hand back a bigint.
    id: String(record.id),
    at: record.at,
    tenantId: record.tenant?.id ?? null,
    actor: { kind: record.actorKind, id: record.actorId ?? null, name: record.actorName },
    operation: record.operation,
    target: record.targetType ? { type: record.targetType, id: record.targetId ?? null } : null,
    requestId: record.requestId ?? null,
    outcome: record.outcome,
    workflowVersion:
      record.workflowId && record.workflowVersion != null ? { workflowId: record.workflowId, version: record.workflowVersion } : null,
  };
}

@Resolver()
export class AuditResolver {
  @Requires('audit:view')
  @Query(() => AuditLogConnectionType, {
    description:
      "Your tenant's audit log, newest first, a page at a time: every change made through the API and every refusal, with who, what, on what, and how it ended. The platform admin's also has what belongs to no tenant (sign-ins refused for unknown e-mails), and reads another tenant's with `filter.tenant`.",
  })
  async auditLog(
    @Arg('filter', () => AuditLogFilterInput, { nullable: true }) filter: AuditLogFilterInput | null | undefined,
    @Arg('first', () => Int, { defaultValue: 20, description: 'At most 100.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page.' }) after: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<AuditLogConnectionType> {
    const viewer = requireViewer(ctx.viewer);
    const scope = auditScope(viewer, filter?.tenant);
    const page = await inTenantTransaction(ctx.em, scope.tenantId, (em) => listAuditLog(em, scope, filter ?? {}, first, after));
    const nodes = page.records.map(toAuditRecordType);
    return { nodes, pageInfo: { hasNextPage: page.hasNextPage, endCursor: nodes.at(-1)?.id ?? null } };
  }
}
