import { z } from 'zod';
import { withoutUndefined } from '../../entities/entity-data.js';
import { Customer } from '../../entities/customer.entity.js';
import { License } from '../../entities/domain/license.entity.js';
import { LicenseTemplate } from '../../entities/domain/license-template.entity.js';
import { AppError } from '../../errors.js';
import { addDays } from '../shared/periods.js';
import { idOrCode, isUuid, uuid } from '../shared/schemas.js';
import { assertActingTenant, findInTenantOrFail } from '../shared/scope.js';
import { defineServiceMethod } from '../registry.js';
import { generateLicenseKey } from './license-key.js';
import { licenseOutput, licenseResult } from './license-result.js';

/**
 * license.issueLicense(customerId, licenseTemplateId, tenantId) → {licenseKey, licenseId, customerId,
 *   templateId, templateCode, product, seats, status: 'active', issuedAt, expiresAt, created}
 *
 * `licenseTemplateId` is the template's id or code. Seats and expiry come from the template (no validity:
 * perpetual). Natural key: a customer holds one active license per template, so asking again returns it —
 * unless it has expired, in which case it is marked expired and a new one issued. The customer row is
 * locked while deciding. An inactive template or customer is INVALID_STATE.
 */
export const issueLicense = defineServiceMethod({
  service: 'license',
  method: 'issueLicense',
  description: 'Issues a license from a template to a customer.',
  effects: 'local',
  input: z.object({ customerId: uuid, licenseTemplateId: idOrCode, tenantId: z.string().min(1) }),
  output: licenseOutput.extend({ templateId: uuid, created: z.boolean() }),
  async run(ctx, input) {
    await assertActingTenant(ctx, input.tenantId);
    const customer = await findInTenantOrFail(
      ctx.em,
      Customer,
      { id: input.customerId, tenant: ctx.tenantId },
      `customer ${input.customerId}`,
      { lock: true },
    );
    const template = await findInTenantOrFail(
      ctx.em,
      LicenseTemplate,
      isUuid(input.licenseTemplateId)
        ? { id: input.licenseTemplateId, tenant: ctx.tenantId }
        : { code: input.licenseTemplateId, tenant: ctx.tenantId },
      `license template ${input.licenseTemplateId}`,
    );
    // `created`: whether this call issued the license (false: the customer held it already), which is what its undo revokes.
    const result = (license: License, created: boolean) => ({
      ...licenseResult(license),
      templateId: template.id,
      templateCode: template.code,
      product: template.product,
      created,
    });

    const held = await ctx.em.findOne(License, { tenant: ctx.tenantId, customer: customer.id, template: template.id, status: 'active' });
    if (held && (!held.expiresAt || held.expiresAt > ctx.now)) return result(held, false);
    if (held) {
      held.status = 'expired';
      await ctx.em.flush();
    }
    if (!template.active) throw new AppError('INVALID_STATE', `license template ${template.code} is no longer issued`);
    if (customer.status !== 'active') throw new AppError('INVALID_STATE', `customer ${customer.id} is ${customer.status}`);

    const license = ctx.em.create(
      License,
      withoutUndefined({
        tenant: ctx.tenantId,
        customer,
        template,
        key: generateLicenseKey(),
        seats: template.seats,
        issuedAt: ctx.now,
        expiresAt: template.validityDays ? addDays(ctx.now, template.validityDays) : undefined,
      }),
    );
    await ctx.em.flush();
    return result(license, true);
  },
});
