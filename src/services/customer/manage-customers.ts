import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Customer, type CustomerSource, type CustomerStatus } from '../../entities/customer.entity.js';
import { AppError } from '../../errors.js';
import { pageSize, parseInput } from '../shared/parse-input.js';
import { email, label, phone, uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { insertCustomer } from './customer-records.js';

export interface CustomerView {
  id: string;
  name: string;
  email: string;
  company: string | null;
  phone: string | null;
  status: CustomerStatus;
  source: CustomerSource;
  leadId: string | null;
  partnerId: string | null;
  createdAt: Date;
}

export function customerView(customer: Customer): CustomerView {
  return {
    id: customer.id,
    name: customer.name,
    email: customer.email,
    company: customer.company ?? null,
    phone: customer.phone ?? null,
    status: customer.status,
    source: customer.source,
    leadId: customer.leadId ?? null,
    partnerId: customer.partnerId ?? null,
    createdAt: customer.createdAt,
  };
}

const createCustomerInput = z.object({
  name: label(),
  email,
  company: label().nullish(),
  phone: phone.nullish(),
});

/** A direct customer (not from a lead or a partner). E-mail is unique per tenant: CONFLICT otherwise. */
export async function createCustomer(em: EntityManager, tenantId: string, input: unknown): Promise<CustomerView> {
  const data = parseInput(createCustomerInput, input, 'createCustomer');
  if (await em.count(Customer, { tenant: tenantId, email: data.email })) {
    throw new AppError('CONFLICT', `a customer with e-mail ${data.email} already exists`, { details: { email: data.email } });
  }
  const customer = await insertCustomer(em, {
    tenantId,
    name: data.name,
    email: data.email,
    ...(data.company ? { company: data.company } : {}),
    ...(data.phone ? { phone: data.phone } : {}),
    source: 'direct',
    createdAt: new Date(),
  });
  return customerView(customer);
}

export async function findCustomer(em: EntityManager, tenantId: string, id: string): Promise<CustomerView> {
  const customerId = parseInput(uuid, id, 'customer id');
  return customerView(await findInTenantOrFail(em, Customer, { id: customerId, tenant: tenantId }, `customer ${customerId}`));
}

export async function listCustomers(
  em: EntityManager,
  tenantId: string,
  filter: { partnerId?: string | null; first?: number | null },
): Promise<CustomerView[]> {
  const partnerId = filter.partnerId ? parseInput(uuid, filter.partnerId, 'partnerId') : undefined;
  const customers = await em.find(
    Customer,
    { tenant: tenantId, ...(partnerId ? { partnerId } : {}) },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize(filter.first) },
  );
  return customers.map(customerView);
}
