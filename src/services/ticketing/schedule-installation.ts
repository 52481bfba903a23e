import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Customer } from '../../entities/customer.entity.js';
import { TechnicianAppointment } from '../../entities/domain/technician-appointment.entity.js';
import { Technician } from '../../entities/domain/technician.entity.js';
import { Ticket, ticketReference } from '../../entities/domain/ticket.entity.js';
import { Tenant } from '../../entities/tenant.entity.js';
import { AppError } from '../../errors.js';
import { EXCLUSION_VIOLATION, sqlState } from '../shared/sql-state.js';
import { defineServiceMethod } from '../registry.js';
import { ticketPriority } from './schemas.js';
import { nextTicketNumber } from './ticket-numbers.js';

export const INSTALLATIONS_TEAM = 'installations';
const DAY_MS = 24 * 60 * 60 * 1000;

const input = z.object({
  customerId: z.guid(),
  installationAddress: z.string().trim().min(1),
  /** Omitted: the first active technician free for the whole slot. */
  technicianId: z.guid().nullish(),
  /** A day (`2026-12-01`: the technician is booked for that UTC day) or an instant with its offset. */
  scheduledDate: z.union([z.iso.date(), z.iso.datetime({ offset: true })]),
  /** Length of a visit that starts at an instant. */
  durationMinutes: z
    .number()
    .int()
    .min(15)
    .max(12 * 60)
    .default(240),
  priority: ticketPriority.default('medium'),
});

type Slot = { startsAt: Date; endsAt: Date };

function slotOf(scheduledDate: string, durationMinutes: number): Slot {
  if (/^\d{4}-\d{2}-\d{2}$/.test(scheduledDate)) {
    const startsAt = new Date(`${scheduledDate}T00:00:00.000Z`);
    return { startsAt, endsAt: new Date(startsAt.getTime() + DAY_MS) };
  }
  const startsAt = new Date(scheduledDate);
  return { startsAt, endsAt: new Date(startsAt.getTime() + durationMinutes * 60_000) };
}

/**
 * An installation ticket and the technician's appointment for it. The appointments' exclusion
 * constraint is what keeps a technician from being booked twice: of two overlapping bookings racing,
 * PostgreSQL lets one commit and fails the other, which becomes CONFLICT here.
 */
export const scheduleInstallation = defineServiceMethod({
  service: 'ticketing',
  method: 'scheduleInstallation',
  description:
    'Opens an installation ticket and books a technician for it (never double-booked). Returns {ticketId, ticketNumber, appointmentId, technicianId, technicianName, startsAt, endsAt}.',
  effects: 'local',
  input,
  output: z.looseObject({
    ticketId: z.uuid(),
    ticketNumber: z.string(),
    appointmentId: z.uuid(),
    technicianId: z.uuid(),
    technicianName: z.string(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
  }),
  async run(ctx, { customerId, installationAddress, technicianId, scheduledDate, durationMinutes, priority }) {
    const slot = slotOf(scheduledDate, durationMinutes);
    if (slot.endsAt <= ctx.now) throw new AppError('VALIDATION', `scheduledDate ${scheduledDate} is in the past`);
    const customer = await ctx.em.findOne(Customer, { id: customerId, tenant: ctx.tenantId });
    if (!customer) throw new AppError('NOT_FOUND', `customer ${customerId} not found`);
    const technician = technicianId
      ? await namedTechnician(ctx.em, ctx.tenantId, technicianId)
      : await freeTechnician(ctx.em, ctx.tenantId, slot);

    const tenant = ctx.em.getReference(Tenant, ctx.tenantId);
    const number = await nextTicketNumber(ctx.em, ctx.tenantId);
    const ticket = ctx.em.create(Ticket, {
      tenant,
      number,
      kind: 'installation',
      title: `Installation at ${installationAddress}`,
      description: `Installation for ${customer.name} on ${slot.startsAt.toISOString()} by ${technician.name}`,
      customer,
      priority,
      status: 'scheduled',
      assignedTeam: INSTALLATIONS_TEAM,
      installationAddress,
      createdAt: ctx.now,
    });
    const appointment = ctx.em.create(TechnicianAppointment, {
      tenant,
      technician,
      ticket,
      customer,
      ...slot,
      address: installationAddress,
      createdAt: ctx.now,
    });
    try {
      await ctx.em.flush();
    } catch (error) {
      // The only exclusion constraint these inserts can break is the appointments' no-overlap one.
      if (sqlState(error) === EXCLUSION_VIOLATION) {
        throw new AppError(
          'CONFLICT',
          `technician ${technician.name} is already booked between ${slot.startsAt.toISOString()} and ${slot.endsAt.toISOString()}`,
          {
            cause: error,
            details: { technicianId: technician.id },
          },
        );
      }
      throw error;
    }
    return {
      ticketId: ticket.id,
      ticketNumber: ticketReference(number),
      appointmentId: appointment.id,
      technicianId: technician.id,
      technicianName: technician.name,
      startsAt: slot.startsAt.toISOString(),
      endsAt: slot.endsAt.toISOString(),
    };
  },
});

async function namedTechnician(em: EntityManager, tenantId: string, technicianId: string): Promise<Technician> {
  const technician = await em.findOne(Technician, { id: technicianId, tenant: tenantId });
  if (!technician) throw new AppError('NOT_FOUND', `technician ${technicianId} not found`);
  if (!technician.active) throw new AppError('INVALID_STATE', `technician ${technician.name} is not active`);
  return technician;
}

/**
 * The first active technician with nothing booked over the slot. SKIP LOCKED makes concurrent callers
 * pick different technicians instead of all racing for the first one.
 */
async function freeTechnician(em: EntityManager, tenantId: string, slot: Slot): Promise<Technician> {
  const rows = await em.execute<{ id: string }[]>(
    `select t.id from technicians t
     where t.tenant_id = ? and t.active
       and not exists (
         select 1 from technician_appointments a
         where a.technician_id = t.id and a.status <> 'cancelled' and tstzrange(a.starts_at, a.ends_at) && tstzrange(?, ?))
     order by t.name, t.id
     limit 1
     for update of t skip locked`,
    [tenantId, slot.startsAt, slot.endsAt],
  );
  const id = rows[0]?.id;
  if (!id) throw new AppError('CONFLICT', `no technician is free between ${slot.startsAt.toISOString()} and ${slot.endsAt.toISOString()}`);
  return em.findOneOrFail(Technician, { id, tenant: tenantId });
}
