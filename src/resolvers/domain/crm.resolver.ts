import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Audited } from '../../auth/audit/audited.js';
import { Requires } from '../../auth/auth-checker.js';
import { inTenantTransaction } from '../../auth/tenant-scope.js';
import type { RequestContext } from '../../context.js';
import type { LeadStatus } from '../../entities/domain/lead.entity.js';
import type { QuoteStatus } from '../../entities/domain/quote.entity.js';
import type { TicketKind, TicketStatus } from '../../entities/domain/ticket.entity.js';
import { CreateCustomerInput, CreateLeadInput, CreateQuoteInput, RequestInstallationInput } from '../../schema/inputs/domain/crm.input.js';
import { CustomerType, LeadType, QuoteType, TicketType } from '../../schema/types/domain/crm.type.js';
import { LeadStatusEnum, QuoteStatusEnum, TicketKindEnum, TicketStatusEnum } from '../../schema/types/domain/enums.js';
import { createLead, listLeads, qualifyLead } from '../../services/crm/manage-leads.js';
import { acceptQuoteAs, createQuote, listQuotes, sendQuote } from '../../services/crm/manage-quotes.js';
import { createCustomer, findCustomer, listCustomers } from '../../services/customer/manage-customers.js';
import { approveInstallationTicket, listTickets, requestInstallation } from '../../services/ticketing/manage-tickets.js';
import { actorOf } from './actor.js';

/** Leads, customers, quotes and installation tickets: what people do that starts the built-in workflows. */
@Resolver()
export class DomainCrmResolver {
  @Requires('crm:view')
  @Query(() => [LeadType], { description: 'Leads, newest first.' })
  async leads(
    @Arg('status', () => LeadStatusEnum, { nullable: true }) status: LeadStatus | null,
    @Arg('first', () => Int, { nullable: true, description: '1–200, default 50.' }) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<LeadType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listLeads(em, tenantId, { status, first }));
  }

  @Requires('crm:manage')
  @Audited({ operation: 'lead.create', targetType: 'lead' })
  @Mutation(() => LeadType, { description: 'A new lead (status NEW).' })
  async createLead(@Arg('input', () => CreateLeadInput) input: CreateLeadInput, @Ctx() ctx: RequestContext): Promise<LeadType> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => createLead(em, tenantId, input));
  }

  @Requires('crm:manage')
  @Audited({ operation: 'lead.qualify', targetType: 'lead', targetArg: 'id' })
  @Mutation(() => LeadType, {
    description:
      'NEW or CONTACTED → QUALIFIED, recording lead.qualified (which starts lead_to_customer_onboarding). Idempotent; a converted or lost lead is INVALID_STATE.',
  })
  async qualifyLead(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<LeadType> {
    const { tenantId, source } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => qualifyLead(em, tenantId, id, source));
  }

  @Requires('crm:view')
  @Query(() => [CustomerType], { description: 'Customers, newest first.' })
  async customers(
    @Arg('partnerId', () => ID, { nullable: true }) partnerId: string | null,
    @Arg('first', () => Int, { nullable: true, description: '1–200, default 50.' }) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<CustomerType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listCustomers(em, tenantId, { partnerId, first }));
  }

  @Requires('crm:view')
  @Query(() => CustomerType, { description: 'One customer; NOT_FOUND when there is none.' })
  async customer(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<CustomerType> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => findCustomer(em, tenantId, id));
  }

  @Requires('crm:manage')
  @Audited({ operation: 'customer.create', targetType: 'customer' })
  @Mutation(() => CustomerType, { description: 'A direct customer; an e-mail already used in your tenant is CONFLICT.' })
  async createCustomer(
    @Arg('input', () => CreateCustomerInput) input: CreateCustomerInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CustomerType> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => createCustomer(em, tenantId, input));
  }

  @Requires('crm:view')
  @Query(() => [QuoteType], { description: 'Quotes with their lines, newest first.' })
  async quotes(
    @Arg('status', () => QuoteStatusEnum, { nullable: true }) status: QuoteStatus | null,
    @Arg('customerId', () => ID, { nullable: true }) customerId: string | null,
    @Arg('first', () => Int, { nullable: true, description: '1–200, default 50.' }) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<QuoteType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listQuotes(em, tenantId, { status, customerId, first }));
  }

  @Requires('crm:manage')
  @Audited({ operation: 'quote.create', targetType: 'quote' })
  @Mutation(() => QuoteType, { description: 'A DRAFT quote for a customer, priced line by line.' })
  async createQuote(@Arg('input', () => CreateQuoteInput) input: CreateQuoteInput, @Ctx() ctx: RequestContext): Promise<QuoteType> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => createQuote(em, tenantId, input));
  }

  @Requires('crm:manage')
  @Audited({ operation: 'quote.send', targetType: 'quote', targetArg: 'id' })
  @Mutation(() => QuoteType, { description: 'DRAFT → SENT. Idempotent; an expired or settled quote is INVALID_STATE.' })
  async sendQuote(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<QuoteType> {
    const { tenantId, source } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => sendQuote(em, tenantId, id, source));
  }

  @Requires('crm:manage')
  @Audited({ operation: 'quote.accept', targetType: 'quote', targetArg: 'id' })
  @Mutation(() => QuoteType, {
    description:
      'SENT → ACCEPTED on behalf of the customer, recording quote.accepted: a NEW quote starts quote_accepted_to_order, a RENEWAL quote resumes the customer_renewal_process waiting for it. Idempotent; an expired quote is INVALID_STATE.',
  })
  async acceptQuote(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<QuoteType> {
    const { tenantId, name } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => acceptQuoteAs(em, tenantId, id, name, `graphql:${ctx.requestId}`));
  }

  @Requires('crm:view')
  @Query(() => [TicketType], { description: 'Tickets, newest first, with the technician appointment of installations.' })
  async tickets(
    @Arg('kind', () => TicketKindEnum, { nullable: true }) kind: TicketKind | null,
    @Arg('status', () => TicketStatusEnum, { nullable: true }) status: TicketStatus | null,
    @Arg('customerId', () => ID, { nullable: true }) customerId: string | null,
    @Arg('first', () => Int, { nullable: true, description: '1–200, default 50.' }) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<TicketType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listTickets(em, tenantId, { kind, status, customerId, first }));
  }

  @Requires('crm:manage')
  @Audited({ operation: 'ticket.requestInstallation', targetType: 'ticket' })
  @Mutation(() => TicketType, { description: "An OPEN installation request for a customer (at its site survey's address unless given)." })
  async requestInstallation(
    @Arg('input', () => RequestInstallationInput) input: RequestInstallationInput,
    @Ctx() ctx: RequestContext,
  ): Promise<TicketType> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => requestInstallation(em, tenantId, input));
  }

  @Requires('crm:manage')
  @Audited({ operation: 'ticket.approveInstallation', targetType: 'ticket', targetArg: 'id' })
  @Mutation(() => TicketType, {
    description:
      'Approves an OPEN installation request (→ IN_PROGRESS), recording ticket.installation_approved, which starts isp_ticket_to_deployment for the installation day given (YYYY-MM-DD; default tomorrow). Idempotent.',
  })
  async approveInstallationTicket(
    @Arg('id', () => ID) id: string,
    @Arg('scheduledDate', () => String, { nullable: true }) scheduledDate: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<TicketType> {
    const { tenantId, name, source } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => approveInstallationTicket(em, tenantId, { id, scheduledDate }, { name, source }));
  }
}
