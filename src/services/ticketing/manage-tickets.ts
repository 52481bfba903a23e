import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Customer } from '../../entities/customer.entity.js';
import { SiteSurvey } from '../../entities/domain/site-survey.entity.js';
import { TechnicianAppointment } from '../../entities/domain/technician-appointment.entity.js';
import {
  TICKET_KINDS,
  TICKET_STATUSES,
  Ticket,
  ticketReference,
  type TicketKind,
  type TicketPriority,
  type TicketStatus,
} from '../../entities/domain/ticket.entity.js';
import { Tenant } from '../../entities/tenant.entity.js';
import { AppError } from '../../errors.js';
import { pageSize, parseInput } from '../shared/parse-input.js';
import { label, uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { recordDomainEvent } from '../domain-events.js';
import { ticketPriority } from './schemas.js';
import { nextTicketNumber } from './ticket-numbers.js';

export const INSTALLATION_APPROVED_EVENT = 'ticket.installation_approved';

export interface AppointmentView {
  technicianId: string;
  technicianName: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
}

export interface TicketView {
  id: string;
  number: number;
  reference: string;
  kind: TicketKind;
  title: string;
  description: string;
  customerId: string | null;
  priority: TicketPriority;
  status: TicketStatus;
  assignedTeam: string | null;
  installationAddress: string | null;
  createdAt: Date;
  appointment: AppointmentView | null;
}

async function ticketViews(em: EntityManager, tickets: Ticket[]): Promise<TicketView[]> {
  const appointments =
    tickets.length === 0
      ? []
      : await em.find(TechnicianAppointment, { ticket: { $in: tickets.map((ticket) => ticket.id) } }, { populate: ['technician'] });
  const byTicket = new Map(appointments.map((appointment) => [appointment.ticket.id, appointment]));
  return tickets.map((ticket) => {
    const appointment = byTicket.get(ticket.id);
    return {
      id: ticket.id,
      number: ticket.number,
      reference: ticketReference(ticket.number),
      kind: ticket.kind,
      title: ticket.title,
      description: ticket.description,
      customerId: ticket.customer?.id ?? null,
      priority: ticket.priority,
      status: ticket.status,
      assignedTeam: ticket.assignedTeam ?? null,
      installationAddress: ticket.installationAddress ?? null,
      createdAt: ticket.createdAt,
      appointment: appointment
        ? {
            technicianId: appointment.technician.id,
            technicianName: appointment.technician.getEntity().name,
            startsAt: appointment.startsAt,
            endsAt: appointment.endsAt,
            status: appointment.status,
          }
        : null,
    };
  });
}

async function ticketView(em: EntityManager, ticket: Ticket): Promise<TicketView> {
  const [view] = await ticketViews(em, [ticket]);
  return view as TicketView;
}

const requestInput = z.object({
  customerId: uuid,
  installationAddress: label(500).nullish(),
  priority: ticketPriority.default('medium'),
  description: z.string().max(4_000).default(''),
});

/**
 * An installation request: an `open` ticket of kind `installation` for a customer, at the address given or
 * that of the customer's latest completed site survey (VALIDATION when there is neither). Approving it
 * starts isp_ticket_to_deployment.
 */
export async function requestInstallation(em: EntityManager, tenantId: string, input: unknown): Promise<TicketView> {
  const data = parseInput(requestInput, input, 'requestInstallation');
  const customer = await findInTenantOrFail(em, Customer, { id: data.customerId, tenant: tenantId }, `customer ${data.customerId}`);
  let address = data.installationAddress ?? undefined;
  if (!address) {
    const survey = await em.findOne(
      SiteSurvey,
      { tenant: tenantId, customer: customer.id, status: 'completed' },
      { orderBy: { completedAt: 'desc nulls last', createdAt: 'desc' } },
    );
    address = survey?.address;
  }
  if (!address) {
    throw new AppError('VALIDATION', `customer ${customer.id} has no completed site survey; give the installationAddress`, {
      details: { problems: ['installationAddress: required without a completed site survey'] },
    });
  }
  const ticket = em.create(Ticket, {
    tenant: em.getReference(Tenant, tenantId),
    number: await nextTicketNumber(em, tenantId),
    kind: 'installation',
    title: `Installation request: ${customer.name}`,
    description: data.description,
    customer,
    priority: data.priority,
    status: 'open',
    assignedTeam: 'installations',
    installationAddress: address,
  });
  await em.flush();
  return ticketView(em, ticket);
}

const approveInput = z.object({
  id: uuid,
  /** The installation day asked for (YYYY-MM-DD); the workflow's default when absent (tomorrow). */
  scheduledDate: z.iso.date().nullish(),
});

/**
 * Approves an installation request: `open` → `in_progress`, recording `ticket.installation_approved`
 * ({ticketId, ticketNumber, customerId, installationAddress, scheduledDate?, approvedBy, approvedAt}) in the
 * same transaction, which starts isp_ticket_to_deployment. Approving an approved request returns it and
 * records nothing. A ticket that is not an open installation request with a customer is INVALID_STATE; a
 * day before today is VALIDATION.
 */
export async function approveInstallationTicket(
  em: EntityManager,
  tenantId: string,
  input: { id: string; scheduledDate?: string | null },
  actor: { name: string; source: string },
): Promise<TicketView> {
  const data = parseInput(approveInput, input, 'approveInstallationTicket');
  const now = new Date();
  if (data.scheduledDate && data.scheduledDate < now.toISOString().slice(0, 10)) {
    throw new AppError('VALIDATION', `scheduledDate ${data.scheduledDate} is in the past`, {
      details: { problems: ['scheduledDate: in the past'] },
    });
  }
  const ticket = await findInTenantOrFail(em, Ticket, { id: data.id, tenant: tenantId }, `ticket ${data.id}`, { lock: true });
  if (ticket.kind !== 'installation' || !ticket.customer) {
    throw new AppError('INVALID_STATE', `ticket ${ticketReference(ticket.number)} is not an installation request`, {
      details: { kind: ticket.kind },
    });
  }
  if (ticket.status === 'in_progress') return ticketView(em, ticket);
  if (ticket.status !== 'open') {
    throw new AppError(
      'INVALID_STATE',
      `ticket ${ticketReference(ticket.number)} is ${ticket.status}; only an open installation request can be approved`,
      {
        details: { status: ticket.status },
      },
    );
  }
  ticket.status = 'in_progress';
  recordDomainEvent(em, {
    tenantId,
    name: INSTALLATION_APPROVED_EVENT,
    payload: {
      ticketId: ticket.id,
      ticketNumber: ticketReference(ticket.number),
      customerId: ticket.customer.id,
      installationAddress: ticket.installationAddress ?? null,
      ...(data.scheduledDate ? { scheduledDate: data.scheduledDate } : {}),
      approvedBy: actor.name,
      approvedAt: now.toISOString(),
    },
    source: actor.source,
  });
  await em.flush();
  return ticketView(em, ticket);
}

export async function listTickets(
  em: EntityManager,
  tenantId: string,
  filter: { kind?: TicketKind | null; status?: TicketStatus | null; customerId?: string | null; first?: number | null },
): Promise<TicketView[]> {
  if (filter.kind && !TICKET_KINDS.includes(filter.kind)) throw new AppError('VALIDATION', `unknown ticket kind ${filter.kind}`);
  if (filter.status && !TICKET_STATUSES.includes(filter.status)) throw new AppError('VALIDATION', `unknown ticket status ${filter.status}`);
  const customerId = filter.customerId ? parseInput(uuid, filter.customerId, 'customerId') : undefined;
  const tickets = await em.find(
    Ticket,
    {
      tenant: tenantId,
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(customerId ? { customer: customerId } : {}),
    },
    { orderBy: { number: 'desc' }, limit: pageSize(filter.first) },
  );
  return ticketViews(em, tickets);
}
