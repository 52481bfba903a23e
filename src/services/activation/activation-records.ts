import { ActivationResource, type ActivationResourceKind } from '../../entities/domain/activation-resource.entity.js';
import { BusinessActivation } from '../../entities/domain/business-activation.entity.js';
import type { JsonObject } from '../../entities/json.js';
import { lockTenant } from '../../auth/tenants.js';
import { Tenant } from '../../entities/tenant.entity.js';
import { findInTenantOrFail } from '../shared/scope.js';
import type { ServiceCallContext } from '../registry.js';

export interface ResourceSpec {
  kind: ActivationResourceKind;
  name: string;
  details: JsonObject;
}

/** The run's activation (the operator's row) and the tenant it made; `lock`: its row locked to change its suspension (lockTenant). */
export async function activationOf(
  ctx: ServiceCallContext,
  activationId: string,
  { lock = false }: { lock?: boolean } = {},
): Promise<{ activation: BusinessActivation; tenant: Tenant }> {
  const activation = await findInTenantOrFail(
    ctx.em,
    BusinessActivation,
    { id: activationId, tenant: ctx.tenantId },
    `activation ${activationId}`,
  );
  const tenant = lock
    ? await lockTenant(ctx.em, activation.activatedTenant.id)
    : await ctx.em.findOne(Tenant, { id: activation.activatedTenant.id });
  if (!tenant) throw new Error(`activation ${activationId} names no tenant`);
  return { activation, tenant };
}

/** `tenant-<slug>`: the tenant's namespace, buckets and DNS label start from its slug. */
export function namespaceOf(tenant: Tenant): string {
  return `tenant-${tenant.slug}`;
}

/**
 * Records what a step made, one row a resource: made again after a removal (a retry), the row is
 * provisioned again; made again as it is (a retried step), it is left as it was.
 */
export async function recordResources(
  ctx: ServiceCallContext,
  activation: BusinessActivation,
  provider: string,
  specs: readonly ResourceSpec[],
): Promise<ActivationResource[]> {
  const rows: ActivationResource[] = [];
  for (const spec of specs) {
    const existing = await ctx.em.findOne(ActivationResource, { activation, kind: spec.kind, name: spec.name });
    const row =
      existing ??
      ctx.em.create(ActivationResource, {
        tenant: ctx.tenantId,
        activation,
        kind: spec.kind,
        name: spec.name,
        provider,
        details: spec.details,
        createdAt: ctx.now,
      });
    if (existing) Object.assign(existing, { provider, details: spec.details, status: 'provisioned', removedAt: null });
    rows.push(row);
  }
  await ctx.em.flush();
  return rows;
}

/** Marks an activation's resources of these kinds removed: how many were still provisioned. */
export async function retireResources(
  ctx: ServiceCallContext,
  activation: BusinessActivation,
  kinds: readonly ActivationResourceKind[],
): Promise<number> {
  const live = await ctx.em.find(ActivationResource, { activation, kind: { $in: [...kinds] }, status: 'provisioned' });
  for (const row of live) Object.assign(row, { status: 'removed', removedAt: ctx.now });
  await ctx.em.flush();
  return live.length;
}
