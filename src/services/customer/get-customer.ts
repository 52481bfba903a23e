import { z } from 'zod';
import { Customer } from '../../entities/customer.entity.js';
import { uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { defineServiceMethod } from '../registry.js';
import { customerOutput, customerResult } from './customer-records.js';

/**
 * customer.getCustomer(customerId) → {customerId, name, email, company, source, leadId, partnerId, status}
 *
 * A read: who a customer is, so that a workflow started with only a customer id (a renewal, an
 * installation) can address its e-mails. Another tenant's customer is NOT_FOUND.
 */
export const getCustomer = defineServiceMethod({
  service: 'customer',
  method: 'getCustomer',
  description: 'Reads a customer: {customerId, name, email, company, source, leadId, partnerId, status}.',
  effects: 'none',
  input: z.object({ customerId: uuid }),
  output: customerOutput.extend({ status: z.string() }),
  async run(ctx, input) {
    const customer = await findInTenantOrFail(
      ctx.em,
      Customer,
      { id: input.customerId, tenant: ctx.tenantId },
      `customer ${input.customerId}`,
    );
    return { ...customerResult(customer), status: customer.status };
  },
});
