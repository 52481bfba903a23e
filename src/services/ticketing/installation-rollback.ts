import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { TechnicianAppointment } from '../../entities/domain/technician-appointment.entity.js';
import { Ticket, ticketReference } from '../../entities/domain/ticket.entity.js';
import { AppError } from '../../errors.js';
import { defineServiceMethod } from '../registry.js';

/**
 * What an installation run holds in ticketing, and how its compensations give it back: the approved
 * request (`in_progress` while a run works on it) goes back to `open` with a note saying why, and the
 * installation the run booked is closed with its technician's appointment cancelled (which frees the
 * technician's slot: the no-overlap constraint ignores cancelled appointments).
 */

async function lockedTicket(em: EntityManager, tenantId: string, ticketId: string): Promise<Ticket> {
  const ticket = await em.findOne(Ticket, { id: ticketId, tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!ticket) throw new AppError('NOT_FOUND', `ticket ${ticketId} not found`);
  if (ticket.kind !== 'installation')
    throw new AppError('INVALID_STATE', `ticket ${ticketReference(ticket.number)} is not an installation ticket`);
  return ticket;
}

function withNote(description: string, note: string): string {
  return description ? `${description}\n\n${note}` : note;
}

const view = (ticket: Ticket) => ({ ticketId: ticket.id, reference: ticketReference(ticket.number), status: ticket.status });

/**
 * The run takes the approved request: `open` (reopened by an earlier rollback, then retried) becomes
 * `in_progress` again; `in_progress` (just approved) stays. Anything else is INVALID_STATE.
 */
export const startInstallationRequest = defineServiceMethod({
  service: 'ticketing',
  method: 'startInstallationRequest',
  description:
    'Marks an installation request in progress for the run that installs it (open or in_progress; idempotent). Returns {ticketId, reference, status}.',
  effects: 'local',
  input: z.object({ ticketId: z.guid(), customerId: z.guid() }),
  async run(ctx, { ticketId, customerId }) {
    const ticket = await lockedTicket(ctx.em, ctx.tenantId, ticketId);
    if (ticket.customer?.id !== customerId) {
      throw new AppError(
        'INVALID_STATE',
        `ticket ${ticketReference(ticket.number)} is not an installation request of customer ${customerId}`,
      );
    }
    if (ticket.status !== 'open' && ticket.status !== 'in_progress') {
      throw new AppError(
        'INVALID_STATE',
        `installation request ${ticketReference(ticket.number)} is ${ticket.status}, not open or in progress`,
      );
    }
    ticket.status = 'in_progress';
    await ctx.em.flush();
    return view(ticket);
  },
});

/** Compensation of startInstallationRequest: the request is `open` again, saying the installation failed. */
export const reopenInstallationRequest = defineServiceMethod({
  service: 'ticketing',
  method: 'reopenInstallationRequest',
  description:
    'Reopens an installation request whose installation failed and was rolled back, with a note saying so (idempotent). Returns {ticketId, reference, status}.',
  effects: 'local',
  input: z.object({ ticketId: z.guid() }),
  async run(ctx, { ticketId }) {
    const ticket = await lockedTicket(ctx.em, ctx.tenantId, ticketId);
    if (ticket.status === 'in_progress') {
      ticket.status = 'open';
      ticket.description = withNote(
        ticket.description,
        `Installation failed ${ctx.now.toISOString()}: the installation workflow stopped at a failed step and was rolled back ` +
          '(technician booking cancelled, address, VLAN and RADIUS account released). Retry the run, or approve this request again, once the cause is fixed.',
      );
      await ctx.em.flush();
    }
    return view(ticket);
  },
});

/**
 * Compensation of scheduleInstallation: the booked installation ticket is `closed`, with a note, and its
 * technician's appointment `cancelled`. A ticket already closed is answered as it is.
 */
export const cancelInstallation = defineServiceMethod({
  service: 'ticketing',
  method: 'cancelInstallation',
  description:
    "Cancels a booked installation: its technician's appointment is cancelled and the ticket closed with a note (idempotent). Returns {ticketId, reference, status, cancelledAppointments}.",
  effects: 'local',
  input: z.object({ ticketId: z.guid() }),
  async run(ctx, { ticketId }) {
    const ticket = await lockedTicket(ctx.em, ctx.tenantId, ticketId);
    const appointments = await ctx.em.find(TechnicianAppointment, { ticket: ticket.id, tenant: ctx.tenantId, status: 'scheduled' });
    for (const appointment of appointments) appointment.status = 'cancelled';
    if (ticket.status !== 'closed') {
      ticket.status = 'closed';
      ticket.description = withNote(
        ticket.description,
        `Cancelled ${ctx.now.toISOString()}: the installation workflow failed and was rolled back; the technician's appointment is cancelled.`,
      );
    }
    await ctx.em.flush();
    return { ...view(ticket), cancelledAppointments: appointments.length };
  },
});
