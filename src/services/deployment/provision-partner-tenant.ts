import { LockMode } from '@mikro-orm/core';
import { z } from 'zod';
import { Customer } from '../../entities/customer.entity.js';
import { Deployment } from '../../entities/domain/deployment.entity.js';
import { License } from '../../entities/domain/license.entity.js';
import { AppError } from '../../errors.js';
import { idOrCode, uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { findPartner } from '../partner/partner-lookup.js';
import { defineServiceMethod } from '../registry.js';
import type { DeploymentSettings } from './deployment-settings.js';
import { findProvisioned, provisionCustomerTenant, provisionedOutput } from './provision.js';
import { assertUsable, invitation } from './provision-tenant.js';
import { brandingJson, whiteLabelConfigSchema } from './white-label.js';

/**
 * deployment.provisionPartnerTenant(customerId, partnerId, whiteLabelConfig, invitation) → provisionTenant's result
 *   plus {partnerId, branding}
 *
 * A `shared` tenant for a partner's customer, branded with validated white-label settings: `displayName`
 * (required), colours as hex (`#1A73E8`), `logoUrl`/`faviconUrl` over https, `supportEmail`, and an
 * optional `customDomain` that then serves the tenant (https://<customDomain>; unique, and never inside our
 * own tenant domain). It is provisioned under the license the customer holds from the partner's pool, so
 * license.allocateFromPartner comes first (INVALID_STATE otherwise). One tenant per license, and the
 * admin's invitation by e-mail (no password), apply as in provisionTenant; a repeat returns the branding stored first.
 */
export function createProvisionPartnerTenantMethod(settings: DeploymentSettings) {
  return defineServiceMethod({
    service: 'deployment',
    method: 'provisionPartnerTenant',
    description: "Provisions a white-labelled tenant for a partner's customer.",
    effects: 'local',
    input: z.object({ customerId: uuid, partnerId: idOrCode, whiteLabelConfig: whiteLabelConfigSchema, invitation }),
    output: provisionedOutput.extend({ partnerId: uuid }),
    async run(ctx, input) {
      const partner = await findPartner(ctx.em, ctx.tenantId, input.partnerId);
      const customer = await findInTenantOrFail(
        ctx.em,
        Customer,
        { id: input.customerId, tenant: ctx.tenantId },
        `customer ${input.customerId}`,
      );
      if (customer.partnerId !== partner.id)
        throw new AppError('VALIDATION', `customer ${customer.id} is not a customer of partner ${partner.code}`);
      const license = await ctx.em.findOne(
        License,
        { tenant: ctx.tenantId, partner: partner.id, customer: customer.id },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      if (!license)
        throw new AppError('INVALID_STATE', `customer ${customer.id} holds no seats from partner ${partner.code}; allocate them first`);

      const existing = await findProvisioned(ctx, license);
      if (existing) {
        const deployment = await ctx.em.findOneOrFail(Deployment, existing.deploymentId);
        return { ...existing, partnerId: partner.id, branding: deployment.whiteLabel ?? null };
      }
      if (partner.status !== 'active') throw new AppError('INVALID_STATE', `partner ${partner.code} is ${partner.status}`);
      assertUsable(license, ctx.now);
      const provisioned = await provisionCustomerTenant(ctx, settings, {
        customer,
        license,
        type: 'shared',
        partner,
        whiteLabel: input.whiteLabelConfig,
        invitation: input.invitation,
      });
      return { ...provisioned, partnerId: partner.id, branding: brandingJson(input.whiteLabelConfig) };
    },
  });
}
