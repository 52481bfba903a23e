import { registerEnumType } from 'type-graphql';
import { DEPLOYMENT_STATUSES, type DeploymentStatus } from '../../../entities/domain/deployment.entity.js';
import { LEAD_STATUSES, type LeadStatus } from '../../../entities/domain/lead.entity.js';
import { BILLING_CYCLES, type BillingCycle } from '../../../entities/domain/plan.entity.js';
import { QUOTE_KINDS, QUOTE_STATUSES, type QuoteKind, type QuoteStatus } from '../../../entities/domain/quote.entity.js';
import {
  TICKET_KINDS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketKind,
  type TicketPriority,
  type TicketStatus,
} from '../../../entities/domain/ticket.entity.js';

/** `pending_payment` travels as PENDING_PAYMENT. */
export const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((value) => [value.toUpperCase(), value])) as Record<string, T>;

export const LeadStatusEnum = enumOf<LeadStatus>(LEAD_STATUSES);
registerEnumType(LeadStatusEnum, {
  name: 'LeadStatus',
  description: 'new → contacted → qualified → converted (by lead_to_customer_onboarding), or lost.',
});

export const QuoteStatusEnum = enumOf<QuoteStatus>(QUOTE_STATUSES);
registerEnumType(QuoteStatusEnum, { name: 'QuoteStatus', description: 'draft → sent → accepted (or rejected, expired).' });

export const QuoteKindEnum = enumOf<QuoteKind>(QUOTE_KINDS);
registerEnumType(QuoteKindEnum, { name: 'QuoteKind', description: 'NEW becomes an order; RENEWAL extends a subscription.' });

export const TicketKindEnum = enumOf<TicketKind>(TICKET_KINDS);
registerEnumType(TicketKindEnum, { name: 'TicketKind' });

export const TicketStatusEnum = enumOf<TicketStatus>(TICKET_STATUSES);
registerEnumType(TicketStatusEnum, {
  name: 'TicketStatus',
  description: 'An installation request is OPEN until approved (IN_PROGRESS); the installation the workflow books is SCHEDULED.',
});

export const TicketPriorityEnum = enumOf<TicketPriority>(TICKET_PRIORITIES);
registerEnumType(TicketPriorityEnum, { name: 'TicketPriority' });

export const BillingCycleEnum = enumOf<BillingCycle>(Object.keys(BILLING_CYCLES) as BillingCycle[]);
registerEnumType(BillingCycleEnum, { name: 'BillingCycle', description: 'MONTHLY, QUARTERLY (3 months) or ANNUAL (12 months).' });

export const DeploymentStatusEnum = enumOf<DeploymentStatus>(DEPLOYMENT_STATUSES);
registerEnumType(DeploymentStatusEnum, {
  name: 'DeploymentStatus',
  description: 'SCHEDULED: a slot booked for an order; PROVISIONED: a tenant made for a customer.',
});
