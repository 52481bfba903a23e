import { z } from 'zod';
import { Customer } from '../../entities/customer.entity.js';
import { AppError } from '../../errors.js';
import { findPartner } from '../partner/partner-lookup.js';
import { camelCasedObject, email, label, phone } from '../shared/schemas.js';
import { defineServiceMethod } from '../registry.js';
import { customerOutput, customerResult, insertCustomer } from './customer-records.js';

const customerData = camelCasedObject(
  z.strictObject({
    name: label(),
    email,
    company: label().optional(),
    phone: phone.optional(),
  }),
);

/**
 * customer.createPartnerCustomer(partnerId, customerData{name, email, company?, phone?})
 *   → {customerId, name, email, company, source: 'partner', leadId: null, partnerId}
 *
 * A customer owned by an active partner. E-mail is unique per tenant: an address already used by a
 * direct customer or another partner's is CONFLICT. The same partner registering the same address again
 * gets its existing customer back (the natural key: a re-run of the provisioning workflow must not fail
 * on the customer it created the first time); the stored name and company are kept.
 */
export const createPartnerCustomer = defineServiceMethod({
  service: 'customer',
  method: 'createPartnerCustomer',
  description: 'Creates a customer owned by a partner.',
  effects: 'local',
  output: customerOutput,
  input: z.object({ partnerId: z.string().min(1), customerData }),
  async run(ctx, input) {
    const partner = await findPartner(ctx.em, ctx.tenantId, input.partnerId);
    if (partner.status !== 'active') throw new AppError('INVALID_STATE', `partner ${partner.code} is ${partner.status}`);

    const existing = await ctx.em.findOne(Customer, { tenant: ctx.tenantId, email: input.customerData.email });
    if (existing) {
      if (existing.partnerId === partner.id) return customerResult(existing);
      throw new AppError('CONFLICT', `a customer with e-mail ${existing.email} already exists`, { details: { email: existing.email } });
    }

    const customer = await insertCustomer(ctx.em, {
      tenantId: ctx.tenantId,
      name: input.customerData.name,
      email: input.customerData.email,
      company: input.customerData.company,
      phone: input.customerData.phone,
      source: 'partner',
      partnerId: partner.id,
      createdAt: ctx.now,
    });
    return customerResult(customer);
  },
});
