import type { EntityManager } from '@mikro-orm/postgresql';
import { invoiceTaxView } from '../payments/payment-records.js';
import { Invoice } from '../../entities/domain/invoice.entity.js';
import { Payment } from '../../entities/domain/payment.entity.js';
import { Subscription } from '../../entities/domain/subscription.entity.js';
import { pageSize, parseInput } from '../shared/parse-input.js';
import { uuid } from '../shared/schemas.js';

export interface SubscriptionView {
  id: string;
  customerId: string;
  planId: string;
  planCode: string;
  status: string;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  paymentMethod: string;
  createdAt: Date;
  cancelledAt: Date | null;
}

export interface InvoiceView {
  id: string;
  number: string;
  customerId: string;
  subscriptionId: string | null;
  quoteId: string | null;
  status: string;
  amount: number;
  currency: string;
  issuedAt: Date;
  dueAt: Date;
  paidAt: Date | null;
  tax: ReturnType<typeof invoiceTaxView>;
  voidReason: string | null;
}

export interface PaymentView {
  id: string;
  customerId: string;
  orderId: string | null;
  invoiceId: string | null;
  amount: number;
  currency: string;
  method: string;
  provider: string;
  providerReference: string;
  status: string;
  createdAt: Date;
}

type ByCustomer = { customerId?: string | null; first?: number | null };

function customerWhere(filter: ByCustomer): { customer?: string } {
  return filter.customerId ? { customer: parseInput(uuid, filter.customerId, 'customerId') } : {};
}

export async function listSubscriptions(em: EntityManager, tenantId: string, filter: ByCustomer): Promise<SubscriptionView[]> {
  const rows = await em.find(
    Subscription,
    { tenant: tenantId, ...customerWhere(filter) },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize(filter.first), populate: ['plan'] },
  );
  return rows.map((row) => ({
    id: row.id,
    customerId: row.customer.id,
    planId: row.plan.id,
    planCode: row.plan.getEntity().code,
    status: row.status,
    currentPeriodStart: row.currentPeriodStart,
    currentPeriodEnd: row.currentPeriodEnd,
    paymentMethod: row.paymentMethod,
    createdAt: row.createdAt,
    cancelledAt: row.cancelledAt ?? null,
  }));
}

export async function listInvoices(em: EntityManager, tenantId: string, filter: ByCustomer): Promise<InvoiceView[]> {
  const rows = await em.find(
    Invoice,
    { tenant: tenantId, ...customerWhere(filter) },
    { orderBy: { issuedAt: 'desc', id: 'desc' }, limit: pageSize(filter.first) },
  );
  return rows.map((row) => ({
    id: row.id,
    number: row.number,
    customerId: row.customer.id,
    subscriptionId: row.subscription?.id ?? null,
    quoteId: row.quote?.id ?? null,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    issuedAt: row.issuedAt,
    dueAt: row.dueAt,
    paidAt: row.paidAt ?? null,
    tax: invoiceTaxView(row),
    voidReason: row.voidReason ?? null,
  }));
}

export async function listPayments(em: EntityManager, tenantId: string, filter: ByCustomer): Promise<PaymentView[]> {
  const rows = await em.find(
    Payment,
    { tenant: tenantId, ...customerWhere(filter) },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize(filter.first) },
  );
  return rows.map((row) => ({
    id: row.id,
    customerId: row.customer.id,
    orderId: row.order?.id ?? null,
    invoiceId: row.invoice?.id ?? null,
    amount: row.amount,
    currency: row.currency,
    method: row.method,
    provider: row.provider,
    providerReference: row.providerReference,
    status: row.status,
    createdAt: row.createdAt,
  }));
}
