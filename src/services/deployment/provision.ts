import { z } from 'zod';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { clockOf } from '../../auth/clock.js';
import { openTenant } from '../../auth/tenants.js';
import type { InvitationDelivery } from '../../auth/users/invitations.js';
import { NO_PASSWORD } from '../../auth/users/users.js';
import { withoutUndefined } from '../../entities/entity-data.js';
import type { Customer } from '../../entities/customer.entity.js';
import { Deployment, type DeploymentType } from '../../entities/domain/deployment.entity.js';
import type { License } from '../../entities/domain/license.entity.js';
import type { Partner } from '../../entities/domain/partner.entity.js';
import { User } from '../../entities/user.entity.js';
import { AppError } from '../../errors.js';
import type { ServiceCallContext } from '../registry.js';
import type { DeploymentSettings } from './deployment-settings.js';
import { slugCandidates } from './tenant-slug.js';
import { brandingJson, type WhiteLabelConfig } from './white-label.js';

/** What provisionTenant and provisionPartnerTenant always answer (their declared output). */
export const provisionedOutput = z.looseObject({
  deploymentId: z.uuid(),
  tenantId: z.string().min(1),
  tenantSlug: z.string().min(1),
  tenantUrl: z.string().min(1),
  deploymentType: z.string(),
  status: z.string(),
  customerId: z.uuid(),
  licenseId: z.uuid(),
  adminEmail: z.string(),
  adminInvitation: z.enum(['pending', 'accepted']),
  provisionedAt: z.iso.datetime(),
});

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
  /**
   * `pending`: the admin was invited by e-mail (a one-time token through the outbox) and has not chosen a
   * password yet; `accepted`: they have. No password is ever made, returned or e-mailed here.
   */
  adminInvitation: 'pending' | 'accepted';
  provisionedAt: string;
};

export interface ProvisionRequest {
  customer: Customer;
  license: License;
  type: DeploymentType;
  partner?: Partner;
  whiteLabel?: WhiteLabelConfig;
  /** How the admin's invitation reaches them: an e-mail of its own, or the workflow's welcome e-mail. */
  invitation: InvitationDelivery;
}

async function provisionedResult(ctx: ServiceCallContext, deployment: Deployment): Promise<ProvisionedTenant> {
  const tenant = await (deployment.provisionedTenant as NonNullable<Deployment['provisionedTenant']>).loadOrFail();
  const admin = await ctx.em.findOneOrFail(
    User,
    { id: (deployment.adminUser as NonNullable<Deployment['adminUser']>).id },
    { populate: ['passwordHash'], filters: false },
  );
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
    adminInvitation: admin.passwordHash === NO_PASSWORD ? 'pending' : 'accepted',
    provisionedAt: (deployment.provisionedAt as Date).toISOString(),
  };
}

/** The deployment already made under this license (natural key). */
export async function findProvisioned(ctx: ServiceCallContext, license: License): Promise<ProvisionedTenant | undefined> {
  const deployment = await ctx.em.findOne(Deployment, { tenant: ctx.tenantId, license: license.id, status: 'provisioned' });
  return deployment ? provisionedResult(ctx, deployment) : undefined;
}

/** Which natural key a unique violation hit, in words. */
function duplicateMessage(error: UniqueConstraintViolationException, request: ProvisionRequest, tenantUrl: string): string {
  if (error.message.includes('users_email_unique'))
    return `a user with e-mail ${request.customer.email} already exists; the tenant admin cannot be created`;
  if (error.message.includes('deployments_tenant_url_unique')) return `${tenantUrl} already serves another tenant`;
  return `license ${request.license.key} is being provisioned by another call`;
}

/**
 * Creates the customer's tenant (a unique slug) and invites its admin — the customer's e-mail, role
 * admin — through the platform's one way of making tenants (openTenant: the invitation's one-time token
 * goes by e-mail through the outbox — its own, or the welcome e-mail the workflow sends next with
 * `invitation: true` — never into this result), and the deployment record, all in the
 * caller's transaction. The license row must already be locked by the caller.
 */
export async function provisionCustomerTenant(
  ctx: ServiceCallContext,
  settings: DeploymentSettings,
  request: ProvisionRequest,
): Promise<ProvisionedTenant> {
  const customDomain = request.whiteLabel?.customDomain;
  if (customDomain && (customDomain === settings.tenantDomain || customDomain.endsWith(`.${settings.tenantDomain}`))) {
    throw new AppError(
      'VALIDATION',
      `customDomain ${customDomain} is inside ${settings.tenantDomain}, where tenants get their own subdomains`,
    );
  }

  const name = request.customer.company ?? request.customer.name;
  const { tenant, admin } = await openTenant(ctx.em, clockOf(ctx.em), {
    slugs: slugCandidates(name),
    name,
    adminEmail: request.customer.email,
    adminName: request.customer.name,
    invitation: request.invitation,
  });
  const tenantUrl = customDomain ? `https://${customDomain}` : `https://${tenant.slug}.${settings.tenantDomain}`;
  const deployment = ctx.em.create(
    Deployment,
    withoutUndefined({
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
    }),
  );
  try {
    await ctx.em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException)
      throw new AppError('CONFLICT', duplicateMessage(error, request, tenantUrl), { cause: error });
    throw error;
  }
  return provisionedResult(ctx, deployment);
}
