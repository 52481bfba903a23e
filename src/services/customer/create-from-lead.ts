import { z } from 'zod';
import { Customer } from '../../entities/customer.entity.js';
import { Lead } from '../../entities/domain/lead.entity.js';
import { AppError } from '../../errors.js';
import { assertActingTenant, findInTenantOrFail } from '../shared/scope.js';
import { uuid } from '../shared/schemas.js';
import { defineServiceMethod } from '../registry.js';
import { customerOutput, customerResult, insertCustomer } from './customer-records.js';

/**
 * customer.createFromLead(leadId, tenantId) → {customerId, name, email, company, source, leadId, partnerId}
 *
 * A `qualified` lead becomes a customer (its name, e-mail, company, phone) and is marked `converted`. A
 * lead already converted returns its customer unchanged (the natural key), so a re-run converts once.
 * The lead row is locked for the conversion: two concurrent calls convert it once. A lead in any other
 * status is INVALID_STATE; an e-mail already used by another customer of the tenant is CONFLICT (no silent
 * merge into someone else's account).
 */
export const createFromLead = defineServiceMethod({
  service: 'customer',
  method: 'createFromLead',
  description: 'Converts a qualified lead into a customer.',
  effects: 'local',
  output: customerOutput,
  input: z.object({ leadId: uuid, tenantId: z.string().min(1) }),
  async run(ctx, input) {
    await assertActingTenant(ctx, input.tenantId);
    const lead = await findInTenantOrFail(ctx.em, Lead, { id: input.leadId, tenant: ctx.tenantId }, `lead ${input.leadId}`, { lock: true });

    if (lead.status === 'converted') {
      const existing = await ctx.em.findOne(Customer, { tenant: ctx.tenantId, leadId: lead.id });
      if (!existing) throw new AppError('INVALID_STATE', `lead ${lead.id} is marked converted but no customer refers to it`);
      return customerResult(existing);
    }
    if (lead.status !== 'qualified') {
      throw new AppError('INVALID_STATE', `lead ${lead.id} is ${lead.status}; only a qualified lead can become a customer`, {
        details: { status: lead.status },
      });
    }

    const customer = await insertCustomer(ctx.em, {
      tenantId: ctx.tenantId,
      name: lead.name,
      email: lead.email,
      company: lead.company,
      phone: lead.phone,
      source: 'lead',
      leadId: lead.id,
      createdAt: ctx.now,
    });
    lead.status = 'converted';
    lead.convertedAt = ctx.now;
    await ctx.em.flush();
    return customerResult(customer);
  },
});
