import { z } from 'zod';
import { withoutUndefined } from '../../entities/entity-data.js';
import { Customer } from '../../entities/customer.entity.js';
import { Ticket, ticketReference } from '../../entities/domain/ticket.entity.js';
import { Tenant } from '../../entities/tenant.entity.js';
import { AppError } from '../../errors.js';
import { defineServiceMethod } from '../registry.js';
import { ticketPriority } from './schemas.js';
import { nextTicketNumber } from './ticket-numbers.js';

const input = z.object({
  title: z.string().trim().min(1),
  description: z.string().default(''),
  customerId: z.guid().nullish(),
  priority: ticketPriority.default('medium'),
  assignedTeam: z.string().trim().min(1).nullish(),
  kind: z.enum(['support', 'onboarding']).default('support'),
});

export const createTicket = defineServiceMethod({
  service: 'ticketing',
  method: 'createTicket',
  description:
    "Opens a ticket with the tenant's next number (TCK-000123). Returns {ticketId, ticketNumber, number, status, priority, assignedTeam}.",
  effects: 'local',
  input,
  async run(ctx, { title, description, customerId, priority, assignedTeam, kind }) {
    if (customerId && !(await ctx.em.count(Customer, { id: customerId, tenant: ctx.tenantId }))) {
      throw new AppError('NOT_FOUND', `customer ${customerId} not found`);
    }
    const number = await nextTicketNumber(ctx.em, ctx.tenantId);
    const ticket = ctx.em.create(
      Ticket,
      withoutUndefined({
        tenant: ctx.em.getReference(Tenant, ctx.tenantId),
        number,
        kind,
        title,
        description,
        customer: customerId ? ctx.em.getReference(Customer, customerId) : undefined,
        priority,
        assignedTeam: assignedTeam ?? undefined,
        createdAt: ctx.now,
      }),
    );
    await ctx.em.flush();
    return {
      ticketId: ticket.id,
      ticketNumber: ticketReference(number),
      number,
      status: ticket.status,
      priority: ticket.priority,
      assignedTeam: ticket.assignedTeam ?? null,
    };
  },
});
