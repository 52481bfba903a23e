import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { withoutUndefined } from '../../entities/entity-data.js';
import { LEAD_STATUSES, Lead, type LeadStatus } from '../../entities/domain/lead.entity.js';
import { AppError } from '../../errors.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { email, label, phone } from '../shared/schemas.js';
import { pageSize, parseInput } from '../shared/parse-input.js';
import { recordDomainEvent } from '../domain-events.js';

export interface LeadView {
  id: string;
  name: string;
  email: string;
  company: string | null;
  phone: string | null;
  source: string | null;
  status: LeadStatus;
  qualifiedAt: Date | null;
  convertedAt: Date | null;
  createdAt: Date;
}

export function leadView(lead: Lead): LeadView {
  return {
    id: lead.id,
    name: lead.name,
    email: lead.email,
    company: lead.company ?? null,
    phone: lead.phone ?? null,
    source: lead.source ?? null,
    status: lead.status,
    qualifiedAt: lead.qualifiedAt ?? null,
    convertedAt: lead.convertedAt ?? null,
    createdAt: lead.createdAt,
  };
}

const createLeadInput = z.object({
  name: label(),
  email,
  company: label().nullish(),
  phone: phone.nullish(),
  source: label(60).nullish(),
});

/** A new lead (status `new`). Leads are not unique by e-mail: the same person may come back. */
export async function createLead(em: EntityManager, tenantId: string, input: unknown): Promise<LeadView> {
  const data = parseInput(createLeadInput, input, 'createLead');
  const lead = em.create(
    Lead,
    withoutUndefined({
      tenant: tenantId,
      name: data.name,
      email: data.email,
      company: data.company ?? undefined,
      phone: data.phone ?? undefined,
      source: data.source ?? undefined,
    }),
  );
  await em.flush();
  return leadView(lead);
}

/**
 * `new`/`contacted` → `qualified`, recording `lead.qualified` ({leadId, tenantId, name, email, company,
 * qualifiedAt}) in the same transaction: lead_to_customer_onboarding's trigger. Qualifying a qualified lead
 * returns it and records nothing; a converted or lost lead is INVALID_STATE.
 */
export async function qualifyLead(em: EntityManager, tenantId: string, leadId: string, source: string): Promise<LeadView> {
  const { id } = parseInput(z.object({ id: z.uuid() }), { id: leadId }, 'qualifyLead');
  const lead = await findInTenantOrFail(em, Lead, { id, tenant: tenantId }, `lead ${id}`, { lock: true });
  if (lead.status === 'qualified') return leadView(lead);
  if (lead.status !== 'new' && lead.status !== 'contacted') {
    throw new AppError('INVALID_STATE', `lead ${lead.id} is ${lead.status}; only a new or contacted lead can be qualified`, {
      details: { status: lead.status },
    });
  }
  lead.status = 'qualified';
  lead.qualifiedAt = new Date();
  recordDomainEvent(em, {
    tenantId,
    name: 'lead.qualified',
    payload: {
      leadId: lead.id,
      tenantId,
      name: lead.name,
      email: lead.email,
      company: lead.company ?? null,
      qualifiedAt: lead.qualifiedAt.toISOString(),
    },
    source,
  });
  await em.flush();
  return leadView(lead);
}

export async function listLeads(
  em: EntityManager,
  tenantId: string,
  filter: { status?: LeadStatus | null; first?: number | null },
): Promise<LeadView[]> {
  if (filter.status && !LEAD_STATUSES.includes(filter.status)) throw new AppError('VALIDATION', `unknown lead status ${filter.status}`);
  const leads = await em.find(
    Lead,
    { tenant: tenantId, ...(filter.status ? { status: filter.status } : {}) },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize(filter.first) },
  );
  return leads.map(leadView);
}
