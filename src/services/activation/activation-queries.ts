import type { EntityManager } from '@mikro-orm/postgresql';
import { ActivationResource } from '../../entities/domain/activation-resource.entity.js';
import { BusinessActivation, type ActivationStatus } from '../../entities/domain/business-activation.entity.js';
import { Tenant } from '../../entities/tenant.entity.js';
import { pageSize } from '../shared/parse-input.js';

/** The run that made an activation: its identity step's key is `<executionId>:create_tenant_identity`. */
function executionIdOf(idempotencyKey: string): string {
  return idempotencyKey.split(':')[0] ?? idempotencyKey;
}

/** The tenant's business activations, newest first, each with the tenant it made and its resources. */
export async function listBusinessActivations(
  em: EntityManager,
  tenantId: string,
  filter: { status?: ActivationStatus | null; first?: number | null },
) {
  const rows = await em.find(
    BusinessActivation,
    { tenant: tenantId, ...(filter.status ? { status: filter.status } : {}) },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize(filter.first) },
  );
  const ids = rows.map((row) => row.id);
  const tenants = await em.find(Tenant, { id: { $in: rows.map((row) => row.activatedTenant.id) } }, { filters: false });
  const resources = await em.find(ActivationResource, { activation: { $in: ids } }, { orderBy: { kind: 'asc', name: 'asc' } });
  return rows.map((row) => ({
    id: row.id,
    executionId: executionIdOf(row.idempotencyKey),
    businessName: row.businessName,
    industry: row.industry,
    region: row.region,
    currency: row.currency,
    plan: row.plan,
    status: row.status,
    tenantId: row.activatedTenant.id,
    tenantSlug: tenants.find((tenant) => tenant.id === row.activatedTenant.id)?.slug ?? '',
    adminEmail: row.adminEmail,
    modules: row.modules ?? [],
    createdAt: row.createdAt,
    activatedAt: row.activatedAt ?? null,
    rolledBackAt: row.rolledBackAt ?? null,
    resources: resources
      .filter((resource) => resource.activation.id === row.id)
      .map((resource) => ({
        kind: resource.kind,
        name: resource.name,
        provider: resource.provider,
        status: resource.status,
        details: resource.details,
        removedAt: resource.removedAt ?? null,
      })),
  }));
}
