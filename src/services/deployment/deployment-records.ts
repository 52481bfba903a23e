import type { EntityManager } from '@mikro-orm/postgresql';
import { DEPLOYMENT_STATUSES, Deployment, type DeploymentStatus } from '../../entities/domain/deployment.entity.js';
import type { JsonObject } from '../../entities/json.js';
import { AppError } from '../../errors.js';
import { pageSize, parseInput } from '../shared/parse-input.js';
import { uuid } from '../shared/schemas.js';

export interface DeploymentView {
  id: string;
  status: DeploymentStatus;
  type: string | null;
  priority: string | null;
  customerId: string;
  orderId: string | null;
  licenseId: string | null;
  partnerId: string | null;
  requestedFor: string | null;
  scheduledFor: string | null;
  /** The tenant provisioned for the customer (status provisioned). */
  tenant: { id: string; slug: string; name: string } | null;
  tenantUrl: string | null;
  branding: JsonObject | null;
  provisionedAt: Date | null;
  createdAt: Date;
}

/**
 * Deployments the tenant sold: slots booked for orders (`scheduled`) and the tenants provisioned for its
 * customers (`provisioned`, with the new tenant, its URL, admin e-mail and branding).
 */
export async function listDeployments(
  em: EntityManager,
  tenantId: string,
  filter: { status?: DeploymentStatus | null; customerId?: string | null; first?: number | null },
): Promise<DeploymentView[]> {
  if (filter.status && !DEPLOYMENT_STATUSES.includes(filter.status))
    throw new AppError('VALIDATION', `unknown deployment status ${filter.status}`);
  const customer = filter.customerId ? { customer: parseInput(uuid, filter.customerId, 'customerId') } : {};
  const rows = await em.find(
    Deployment,
    { tenant: tenantId, ...customer, ...(filter.status ? { status: filter.status } : {}) },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize(filter.first), populate: ['provisionedTenant'] },
  );
  return rows.map((row) => {
    const tenant = row.provisionedTenant?.getEntity();
    return {
      id: row.id,
      status: row.status,
      type: row.type ?? null,
      priority: row.priority ?? null,
      customerId: row.customer.id,
      orderId: row.order?.id ?? null,
      licenseId: row.license?.id ?? null,
      partnerId: row.partner?.id ?? null,
      requestedFor: row.requestedFor ?? null,
      scheduledFor: row.scheduledFor ?? null,
      tenant: tenant ? { id: tenant.id, slug: tenant.slug, name: tenant.name } : null,
      tenantUrl: row.tenantUrl ?? null,
      branding: row.whiteLabel ?? null,
      provisionedAt: row.provisionedAt ?? null,
      createdAt: row.createdAt,
    };
  });
}
