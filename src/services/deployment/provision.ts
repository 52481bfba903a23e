import { randomBytes, randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Customer } from '../../entities/customer.entity.js';
import { Deployment, type DeploymentType } from '../../entities/domain/deployment.entity.js';
import type { License } from '../../entities/domain/license.entity.js';
import type { Partner } from '../../entities/domain/partner.entity.js';
import { Tenant } from '../../entities/tenant.entity.js';
import { User } from '../../entities/user.entity.js';
import { AppError } from '../../errors.js';
import { hashPassword } from '../passwords.js';
import type { ServiceCallContext } from '../registry.js';
import type { DeploymentSettings } from './deployment-settings.js';
import { slugCandidates } from './tenant-slug.js';
import { brandingJson, type WhiteLabelConfig } from './white-label.js';

export type ProvisionedTenant = {
  deploymentId: string;
  tenantId: string;
  tenantSlug: string;
  tenantUrl: string;
  deploymentType: string;
  status: string;
  customerId: string;
  licenseId: string;
  adminEmail: string;
  /** Only in the result of the call that created the admin; null afterwards (only its hash is kept). */
  oneTimePassword: string | null;
  provisionedAt: string;
};

export interface ProvisionRequest {
  customer: Customer;
  license: License;
  type: DeploymentType;
  partner?: Partner;
  whiteLabel?: WhiteLabelConfig;
}

async function provisionedResult(deployment: Deployment, oneTimePassword: string | null): Promise<ProvisionedTenant> {
  const tenant = await (deployment.provisionedTenant as NonNullable<Deployment['provisionedTenant']>).loadOrFail();
  const admin = await (deployment.adminUser as NonNullable<Deployment['adminUser']>).loadOrFail();
  return {
    deploymentId: deployment.id,
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    tenantUrl: deployment.tenantUrl as string,
    deploymentType: deployment.type as string,
    status: deployment.status,
    customerId: deployment.customer.id,
    licenseId: (deployment.license as NonNullable<Deployment['license']>).id,
    adminEmail: admin.email,
    oneTimePassword,
    provisionedAt: (deployment.provisionedAt as Date).toISOString(),
  };
}

/** The deployment already made under this license, as a result without the password (natural key). */
export async function findProvisioned(ctx: ServiceCallContext, license: License): Promise<ProvisionedTenant | undefined> {
  const deployment = await ctx.em.findOne(Deployment, { tenant: ctx.tenantId, license: license.id, status: 'provisioned' });
  return deployment ? provisionedResult(deployment, null) : undefined;
}

/**
 * Claims a free slug with `insert … on conflict do nothing`: a taken slug costs a retry with a suffix,
 * not a unique violation that would abort the caller's transaction.
 */
async function insertTenant(ctx: ServiceCallContext, name: string): Promise<Tenant> {
  for (const slug of slugCandidates(name)) {
    const id = randomUUID();
    const rows = await ctx.em.execute<{ id: string }[]>(
      'insert into "tenants" ("id", "slug", "name", "created_at") values (?, ?, ?, ?) on conflict ("slug") do nothing returning "id"',
      [id, slug, name, ctx.now],
    );
    if (rows.length === 1) return ctx.em.findOneOrFail(Tenant, { id });
  }
  throw new AppError('CONFLICT', `no free tenant slug for ${name}`);
}

/** Which natural key a unique violation hit, in words. */
function duplicateMessage(error: UniqueConstraintViolationException, request: ProvisionRequest, tenantUrl: string): string {
  if (error.message.includes('users_email_unique')) return `a user with e-mail ${request.customer.email} already exists; the tenant admin cannot be created`;
  if (error.message.includes('deployments_tenant_url_unique')) return `${tenantUrl} already serves another tenant`;
  return `license ${request.license.key} is being provisioned by another call`;
}

/**
 * Creates the customer's tenant (a unique slug), its admin user — the customer's e-mail, role admin, a
 * random one-time password stored only as an argon2id hash — and the deployment record, all in the
 * caller's transaction. The license row must already be locked by the caller.
 */
export async function provisionCustomerTenant(ctx: ServiceCallContext, settings: DeploymentSettings, request: ProvisionRequest): Promise<ProvisionedTenant> {
  const customDomain = request.whiteLabel?.customDomain;
  if (customDomain && (customDomain === settings.tenantDomain || customDomain.endsWith(`.${settings.tenantDomain}`))) {
    throw new AppError('VALIDATION', `customDomain ${customDomain} is inside ${settings.tenantDomain}, where tenants get their own subdomains`);
  }

  const tenant = await insertTenant(ctx, request.customer.company ?? request.customer.name);
  const tenantUrl = customDomain ? `https://${customDomain}` : `https://${tenant.slug}.${settings.tenantDomain}`;
  // 144 random bits, URL-safe: typed once, then changed by its owner.
  const oneTimePassword = randomBytes(18).toString('base64url');
  const admin = ctx.em.create(User, {
    tenant,
    email: request.customer.email.toLowerCase(),
    passwordHash: await hashPassword(oneTimePassword),
    role: 'admin',
    createdAt: ctx.now,
  });
  const deployment = ctx.em.create(Deployment, {
    tenant: ctx.tenantId,
    customer: request.customer,
    license: request.license,
    partner: request.partner,
    type: request.type,
    status: 'provisioned',
    provisionedTenant: tenant,
    tenantUrl,
    adminUser: admin,
    whiteLabel: request.whiteLabel ? brandingJson(request.whiteLabel) : undefined,
    createdAt: ctx.now,
    provisionedAt: ctx.now,
  });
  try {
    await ctx.em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new AppError('CONFLICT', duplicateMessage(error, request, tenantUrl), { cause: error });
    throw error;
  }
  return provisionedResult(deployment, oneTimePassword);
}
