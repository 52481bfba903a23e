import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { BILLING_CYCLES, Plan, type BillingCycle } from '../../entities/domain/plan.entity.js';
import { AppError } from '../../errors.js';
import { conflictOnDuplicate } from '../shared/constraint-errors.js';
import { pageSize, parseInput } from '../shared/parse-input.js';
import { currency, label, minorUnits } from '../shared/schemas.js';

export interface PlanView {
  id: string;
  code: string;
  name: string;
  billingCycle: BillingCycle;
  priceAmount: number;
  currency: string;
  gracePeriodDays: number;
  active: boolean;
  createdAt: Date;
}

export function planView(plan: Plan): PlanView {
  return {
    id: plan.id,
    code: plan.code,
    name: plan.name,
    billingCycle: plan.billingCycle,
    priceAmount: plan.priceAmount,
    currency: plan.currency,
    gracePeriodDays: plan.gracePeriodDays,
    active: plan.active,
    createdAt: plan.createdAt,
  };
}

/** Codes are what workflows name: lower-case letters, digits and hyphens. */
export const code = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'a code of lower-case letters, digits and hyphens such as pro-annual');

const createPlanInput = z.object({
  code,
  name: label(),
  billingCycle: z.enum(Object.keys(BILLING_CYCLES) as [BillingCycle, ...BillingCycle[]]),
  priceAmount: minorUnits,
  currency,
  gracePeriodDays: z.int().min(0).max(365).default(14),
});

/** A plan of the price list. The code is unique per tenant (CONFLICT). */
export async function createPlan(em: EntityManager, tenantId: string, input: unknown): Promise<PlanView> {
  const data = parseInput(createPlanInput, input, 'createPlan');
  if (await em.count(Plan, { tenant: tenantId, code: data.code })) {
    throw new AppError('CONFLICT', `a plan with code ${data.code} already exists`, { details: { code: data.code } });
  }
  const plan = em.create(Plan, { tenant: tenantId, ...data });
  await conflictOnDuplicate(() => em.flush(), `a plan with code ${data.code} already exists`, { code: data.code });
  return planView(plan);
}

export async function listPlans(em: EntityManager, tenantId: string, filter: { first?: number | null }): Promise<PlanView[]> {
  const plans = await em.find(Plan, { tenant: tenantId }, { orderBy: { code: 'asc' }, limit: pageSize(filter.first) });
  return plans.map(planView);
}
