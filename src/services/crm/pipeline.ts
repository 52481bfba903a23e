import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Customer } from '../../entities/customer.entity.js';
import { FollowUpTask } from '../../entities/domain/follow-up-task.entity.js';
import { Lead } from '../../entities/domain/lead.entity.js';
import {
  CLOSED_STAGES,
  OPPORTUNITY_STAGES,
  Opportunity,
  STAGE_PROBABILITY,
  type OpportunityStage,
} from '../../entities/domain/opportunity.entity.js';
import { AppError } from '../../errors.js';
import { insertCustomer } from '../customer/customer-records.js';
import { currency, email, label, positiveMinorUnits } from '../shared/schemas.js';
import { pageSize, parseInput } from '../shared/parse-input.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { recordDomainEvent } from '../domain-events.js';
import { region } from '../payments/create-invoice-draft.js';
import { leadView, type LeadView } from './manage-leads.js';

/**
 * The CRM pipeline (seed 003 §2): a lead contacted, converted into an opportunity, the opportunity moved
 * through its stages to `closed_won` or `closed_lost`. Every transition records a domain event in the same
 * transaction: `lead.contacted`, `lead.converted`, `opportunity.created`, `opportunity.stage_changed`.
 */

export function opportunityView(opportunity: Opportunity) {
  return {
    id: opportunity.id,
    leadId: opportunity.lead.id,
    customerId: opportunity.customer.id,
    name: opportunity.name,
    amount: opportunity.amount,
    currency: opportunity.currency,
    region: opportunity.region,
    owner: opportunity.owner,
    stage: opportunity.stage,
    probability: opportunity.probability,
    createdAt: opportunity.createdAt,
    stageChangedAt: opportunity.stageChangedAt,
    closedAt: opportunity.closedAt ?? null,
  };
}
export type OpportunityView = ReturnType<typeof opportunityView>;

/** What every opportunity event carries: enough for a trigger to act without reading the row. */
function opportunityPayload(opportunity: Opportunity) {
  return {
    opportunityId: opportunity.id,
    leadId: opportunity.lead.id,
    customerId: opportunity.customer.id,
    stage: opportunity.stage,
    probability: opportunity.probability,
    amount: opportunity.amount,
    currency: opportunity.currency,
    region: opportunity.region,
    owner: opportunity.owner,
    name: opportunity.name,
    // How long it was open when it closed: late_win_invoicing starts on a win later than lead_to_opportunity follows.
    openedAt: opportunity.createdAt.toISOString(),
    closedAt: opportunity.closedAt?.toISOString() ?? null,
  };
}

/** `new` → `contacted`, recording `lead.contacted`; a contacted lead is returned as it is; any later status is INVALID_STATE. */
export async function contactLead(em: EntityManager, tenantId: string, leadId: string, source: string): Promise<LeadView> {
  const { id } = parseInput(z.object({ id: z.uuid() }), { id: leadId }, 'contactLead');
  const lead = await findInTenantOrFail(em, Lead, { id, tenant: tenantId }, `lead ${id}`, { lock: true });
  if (lead.status === 'contacted') return leadView(lead);
  if (lead.status !== 'new')
    throw new AppError('INVALID_STATE', `lead ${lead.id} is ${lead.status}; only a new lead is contacted`, {
      details: { status: lead.status },
    });
  lead.status = 'contacted';
  recordDomainEvent(em, { tenantId, name: 'lead.contacted', payload: { leadId: lead.id, name: lead.name, email: lead.email }, source });
  await em.flush();
  return leadView(lead);
}

const convertInput = z.object({
  name: label().optional(),
  amount: positiveMinorUnits,
  currency,
  region,
  owner: email,
});

/**
 * A qualified lead (or one already converted into a customer, by onboarding) becomes an opportunity at
 * `prospect` (10 %), owned by `owner`: its customer is the lead's (made now when there is none), the lead
 * is `converted` (`lead.converted`, when it was not yet) and `opportunity.created` is recorded. One
 * opportunity per lead: converting it again returns that one.
 */
export async function convertLead(
  em: EntityManager,
  tenantId: string,
  leadId: string,
  input: unknown,
  source: string,
  now: Date,
): Promise<OpportunityView> {
  const { id } = parseInput(z.object({ id: z.uuid() }), { id: leadId }, 'convertLead');
  const data = parseInput(convertInput, input, 'convertLead');
  const lead = await findInTenantOrFail(em, Lead, { id, tenant: tenantId }, `lead ${id}`, { lock: true });
  const existing = await em.findOne(Opportunity, { tenant: tenantId, lead: lead.id });
  if (existing) return opportunityView(existing);
  if (lead.status !== 'qualified' && lead.status !== 'converted') {
    throw new AppError('INVALID_STATE', `lead ${lead.id} is ${lead.status}; only a qualified lead is converted`, {
      details: { status: lead.status },
    });
  }
  const customer =
    (await em.findOne(Customer, { tenant: tenantId, leadId: lead.id })) ??
    (await em.findOne(Customer, { tenant: tenantId, email: lead.email })) ??
    (await insertCustomer(em, {
      tenantId,
      name: lead.name,
      email: lead.email,
      company: lead.company,
      phone: lead.phone,
      source: 'lead',
      leadId: lead.id,
      createdAt: now,
    }));
  const opportunity = em.create(Opportunity, {
    tenant: tenantId,
    lead,
    customer,
    name: data.name ?? `${lead.company ?? lead.name}`,
    amount: data.amount,
    currency: data.currency,
    region: data.region,
    owner: data.owner,
    createdAt: now,
    stageChangedAt: now,
  });
  if (lead.status !== 'converted') {
    lead.status = 'converted';
    lead.convertedAt = now;
    recordDomainEvent(em, {
      tenantId,
      name: 'lead.converted',
      payload: { leadId: lead.id, customerId: customer.id, opportunityId: opportunity.id },
      source,
    });
  }
  recordDomainEvent(em, { tenantId, name: 'opportunity.created', payload: opportunityPayload(opportunity), source });
  await em.flush();
  return opportunityView(opportunity);
}

/**
 * Moves an open opportunity forward to a later stage, or closes it (`closed_won`, `closed_lost`) from any
 * open stage, with the stage's probability; records `opportunity.stage_changed` ({…, from, stage}). The
 * same stage again changes nothing; a backward move or a move of a closed opportunity is INVALID_STATE.
 */
export async function moveOpportunity(
  em: EntityManager,
  tenantId: string,
  opportunityId: string,
  stage: string,
  source: string,
  now: Date,
): Promise<OpportunityView> {
  const input = parseInput(z.object({ id: z.uuid(), stage: z.enum(OPPORTUNITY_STAGES) }), { id: opportunityId, stage }, 'moveOpportunity');
  const opportunity = await findInTenantOrFail(em, Opportunity, { id: input.id, tenant: tenantId }, `opportunity ${input.id}`, {
    lock: true,
  });
  const from = opportunity.stage;
  if (from === input.stage) return opportunityView(opportunity);
  if (CLOSED_STAGES.has(from))
    throw new AppError('INVALID_STATE', `opportunity ${opportunity.id} is ${from}`, { details: { stage: from } });
  if (!CLOSED_STAGES.has(input.stage) && OPPORTUNITY_STAGES.indexOf(input.stage) < OPPORTUNITY_STAGES.indexOf(from)) {
    throw new AppError('INVALID_STATE', `opportunity ${opportunity.id} is at ${from}; it moves forward only`, { details: { stage: from } });
  }
  opportunity.stage = input.stage;
  opportunity.probability = STAGE_PROBABILITY[input.stage];
  opportunity.stageChangedAt = now;
  if (CLOSED_STAGES.has(input.stage)) opportunity.closedAt = now;
  recordDomainEvent(em, { tenantId, name: 'opportunity.stage_changed', payload: { ...opportunityPayload(opportunity), from }, source });
  await em.flush();
  return opportunityView(opportunity);
}

export async function listOpportunities(
  em: EntityManager,
  tenantId: string,
  filter: { stage?: OpportunityStage | null; first?: number | null },
): Promise<OpportunityView[]> {
  const rows = await em.find(
    Opportunity,
    { tenant: tenantId, ...(filter.stage ? { stage: filter.stage } : {}) },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize(filter.first) },
  );
  return rows.map(opportunityView);
}

/** Per stage, in pipeline order: how many, their value, and their value weighted by probability (per currency). */
export async function pipelineSummary(em: EntityManager, tenantId: string) {
  const rows = await em
    .getConnection()
    .execute<Array<{ stage: OpportunityStage; currency: string; count: string; amount: string; weighted: string }>>(
      `select stage, currency, count(*) as count, sum(amount) as amount, sum(amount * probability / 100) as weighted
     from opportunities where tenant_id = ? group by stage, currency`,
      [tenantId],
      'all',
      em.getTransactionContext(),
    );
  return OPPORTUNITY_STAGES.flatMap((stage) =>
    rows
      .filter((row) => row.stage === stage)
      .map((row) => ({
        stage,
        currency: row.currency,
        count: Number(row.count),
        amount: Number(row.amount),
        weightedAmount: Number(row.weighted),
      })),
  );
}

export async function listFollowUpTasks(em: EntityManager, tenantId: string, filter: { owner?: string | null; first?: number | null }) {
  const rows = await em.find(
    FollowUpTask,
    { tenant: tenantId, ...(filter.owner ? { owner: filter.owner.toLowerCase() } : {}) },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize(filter.first) },
  );
  return rows.map((row) => ({
    id: row.id,
    opportunityId: row.opportunity.id,
    owner: row.owner,
    title: row.title,
    status: row.status,
    dueAt: row.dueAt,
    createdAt: row.createdAt,
  }));
}
