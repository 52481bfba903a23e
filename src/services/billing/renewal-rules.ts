import type { EntityManager } from '@mikro-orm/postgresql';
import { Invoice } from '../../entities/domain/invoice.entity.js';
import { BILLING_CYCLES, type Plan } from '../../entities/domain/plan.entity.js';
import type { Subscription } from '../../entities/domain/subscription.entity.js';
import { addDays } from '../shared/periods.js';

/** Why a subscription can or cannot be renewed; the first two are eligible. */
export type RenewalReason = 'active' | 'grace_period' | 'cancelled' | 'expired' | 'overdue_invoice';

export interface RenewalAssessment {
  eligible: boolean;
  reason: RenewalReason;
  /** The end of the grace period: renewals after it are refused. */
  graceEndsAt: Date;
}

/**
 * Eligible when active or within the plan's grace days after the period end, not cancelled, and the
 * customer has no overdue invoice (open past its due date).
 */
export function assessRenewal(subscription: Subscription, plan: Plan, hasOverdueInvoice: boolean, now: Date): RenewalAssessment {
  const graceEndsAt = addDays(subscription.currentPeriodEnd, plan.gracePeriodDays);
  const verdict = (eligible: boolean, reason: RenewalReason): RenewalAssessment => ({ eligible, reason, graceEndsAt });
  if (subscription.status === 'cancelled') return verdict(false, 'cancelled');
  if (subscription.status === 'expired' || now > graceEndsAt) return verdict(false, 'expired');
  if (hasOverdueInvoice) return verdict(false, 'overdue_invoice');
  return now > subscription.currentPeriodEnd ? verdict(true, 'grace_period') : verdict(true, 'active');
}

export async function hasOverdueInvoice(em: EntityManager, tenantId: string, customerId: string, now: Date): Promise<boolean> {
  const overdue = await em.count(Invoice, { tenant: tenantId, customer: customerId, status: 'open', dueAt: { $lt: now } });
  return overdue > 0;
}

export function cycleMonths(plan: Plan): number {
  return BILLING_CYCLES[plan.billingCycle];
}

/** The price of `months` on the plan: whole billing cycles only, so the amount stays exact. */
export function priceForMonths(plan: Plan, months: number): number | undefined {
  const cycle = cycleMonths(plan);
  if (months <= 0 || months % cycle !== 0) return undefined;
  const amount = plan.priceAmount * (months / cycle);
  return Number.isSafeInteger(amount) ? amount : undefined;
}
