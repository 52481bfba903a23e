import { z } from 'zod';
import { INVITATION_DELIVERIES } from '../../auth/users/invitations.js';
import { Customer } from '../../entities/customer.entity.js';
import { DEPLOYMENT_TYPES } from '../../entities/domain/deployment.entity.js';
import { License } from '../../entities/domain/license.entity.js';
import { AppError } from '../../errors.js';
import { uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { isWellFormedLicenseKey, normalizeLicenseKey } from '../license/license-key.js';
import { defineServiceMethod } from '../registry.js';
import type { DeploymentSettings } from './deployment-settings.js';
import { findProvisioned, provisionCustomerTenant, provisionedOutput } from './provision.js';

/**
 * How the new admin's invitation reaches them: `own_email` (the default), an invitation e-mail of its
 * own, sent now; `welcome_email`, none now: the workflow's welcome e-mail to that admin carries it
 * (communications.sendTemplateEmail with `invitation: true`).
 */
export const invitation = z.enum(INVITATION_DELIVERIES).default('own_email');

export const licenseKey = z
  .string()
  .transform(normalizeLicenseKey)
  .refine(isWellFormedLicenseKey, 'a well-formed license key (SWY-XXXXX-XXXXX-XXXXX-XXXXX-C)');

/** An active, unexpired license must back every provisioned tenant. */
export function assertUsable(license: License, now: Date): void {
  if (license.status !== 'active') throw new AppError('INVALID_STATE', `license ${license.key} is ${license.status}`);
  if (license.expiresAt && license.expiresAt <= now)
    throw new AppError('INVALID_STATE', `license ${license.key} expired at ${license.expiresAt.toISOString()}`);
}

/**
 * deployment.provisionTenant(customerId, licenseKey, deploymentType, invitation) → {tenantUrl, tenantId, deploymentId,
 *   tenantSlug, deploymentType, status: 'provisioned', customerId, licenseId, adminEmail, adminInvitation,
 *   provisionedAt}
 *
 * Creates the customer's own tenant under its license: a unique slug, https://<slug>.<tenant domain>, its
 * admin (the customer's e-mail) invited by e-mail, and a deployment record. One tenant per license: the
 * license row is locked and a provisioned license returns its tenant.
 *
 * The tenant is made as a platform admin's createTenant makes one (openTenant): the admin gets an
 * invitation — a one-time token, stored hashed, expiring, single use — through the outbox (in an e-mail
 * of its own, or with `invitation: 'welcome_email'` in the welcome e-mail the workflow sends), and chooses
 * a password with acceptInvitation. No password exists before that, so none is in this result, in the
 * step's output, in the run's context or log, or in any e-mail. `adminInvitation` says whether the admin
 * has accepted yet (`pending` / `accepted`).
 *
 * A malformed key is VALIDATION; an unknown key NOT_FOUND; another customer's license VALIDATION; a revoked
 * or expired license INVALID_STATE; an admin e-mail already used by a user CONFLICT.
 */
export function createProvisionTenantMethod(settings: DeploymentSettings) {
  return defineServiceMethod({
    service: 'deployment',
    method: 'provisionTenant',
    description: "Provisions the customer's tenant, admin user and deployment under a license.",
    effects: 'local',
    input: z.object({ customerId: uuid, licenseKey, deploymentType: z.enum(DEPLOYMENT_TYPES).default('shared'), invitation }),
    output: provisionedOutput,
    async run(ctx, input) {
      const license = await findInTenantOrFail(
        ctx.em,
        License,
        { key: input.licenseKey, tenant: ctx.tenantId },
        `license ${input.licenseKey}`,
        { lock: true },
      );
      if (license.customer.id !== input.customerId)
        throw new AppError('VALIDATION', `license ${license.key} is not customer ${input.customerId}'s`);

      const existing = await findProvisioned(ctx, license);
      if (existing) return existing;
      assertUsable(license, ctx.now);
      const customer = await findInTenantOrFail(
        ctx.em,
        Customer,
        { id: input.customerId, tenant: ctx.tenantId },
        `customer ${input.customerId}`,
      );
      return provisionCustomerTenant(ctx, settings, { customer, license, type: input.deploymentType, invitation: input.invitation });
    },
  });
}
