import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { withoutUndefined } from '../../entities/entity-data.js';
import { Customer, type CustomerSource } from '../../entities/customer.entity.js';
import { conflictOnDuplicate } from '../shared/constraint-errors.js';

export type CustomerResult = {
  customerId: string;
  name: string;
  email: string;
  company: string | null;
  source: CustomerSource;
  leadId: string | null;
  partnerId: string | null;
};

/** What later steps read of a customer a method answers (`steps.create_customer.output.email`…). */
export const customerOutput = z.looseObject({ customerId: z.uuid(), name: z.string(), email: z.string() });

export function customerResult(customer: Customer): CustomerResult {
  return {
    customerId: customer.id,
    name: customer.name,
    email: customer.email,
    company: customer.company ?? null,
    source: customer.source,
    leadId: customer.leadId ?? null,
    partnerId: customer.partnerId ?? null,
  };
}

/**
 * Inserts a customer. E-mail is unique per tenant: a concurrent insert of the same address loses with
 * CONFLICT (the caller has already looked for an existing one under a lock or a natural key).
 */
export async function insertCustomer(
  em: EntityManager,
  data: {
    tenantId: string;
    name: string;
    email: string;
    company?: string | undefined;
    phone?: string | undefined;
    source: CustomerSource;
    leadId?: string | undefined;
    partnerId?: string | undefined;
    createdAt: Date;
  },
): Promise<Customer> {
  const customer = em.create(
    Customer,
    withoutUndefined({
      tenant: data.tenantId,
      name: data.name,
      email: data.email.toLowerCase(),
      company: data.company,
      phone: data.phone,
      source: data.source,
      leadId: data.leadId,
      partnerId: data.partnerId,
      createdAt: data.createdAt,
    }),
  );
  await conflictOnDuplicate(() => em.flush(), `a customer with e-mail ${customer.email} already exists`, { email: customer.email });
  return customer;
}
