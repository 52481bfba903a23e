import { Technician } from '../../../../src/entities/domain/technician.entity.js';
import { TechnicianAppointment } from '../../../../src/entities/domain/technician-appointment.entity.js';
import { Ticket } from '../../../../src/entities/domain/ticket.entity.js';
import { AppError } from '../../../../src/errors.js';
import { countRows, setUpOperations, type OperationsTestContext } from './support/context.js';

interface TicketResult {
  ticketId: string;
  ticketNumber: string;
  number: number;
}
interface InstallationResult {
  ticketId: string;
  ticketNumber: string;
  appointmentId: string;
  technicianId: string;
  startsAt: string;
  endsAt: string;
}

describe('ticketing', () => {
  let context: OperationsTestContext;
  let alice: string;
  let bob: string;
  let retired: string;

  beforeAll(async () => {
    context = await setUpOperations();
    const em = context.orm.em.fork();
    const technicians = [
      em.create(Technician, { tenant: context.tenantId, name: 'Alice Tech', email: 'alice@example.com' }),
      em.create(Technician, { tenant: context.tenantId, name: 'Bob Tech', email: 'bob@example.com' }),
      em.create(Technician, { tenant: context.tenantId, name: 'Carl Retired', email: 'carl@example.com', active: false }),
    ];
    await em.flush();
    [alice, bob, retired] = technicians.map((technician) => technician.id) as [string, string, string];
  });
  afterAll(() => context.close());

  describe('createTicket', () => {
    it('numbers tickets per tenant, in sequence, even when created concurrently', async () => {
      const first = (await context.call('ticketing_service', 'create_ticket', {
        title: 'Onboard Ada',
        description: 'Walk Ada through the workspace',
        customer_id: context.customerId,
        priority: 'HIGH',
        assigned_team: 'onboarding',
      })) as unknown as TicketResult;
      expect(first).toEqual({
        ticketId: expect.any(String),
        ticketNumber: 'TCK-000001',
        number: 1,
        status: 'open',
        priority: 'high',
        assignedTeam: 'onboarding',
      });
      const ticket = await context.orm.em.fork().findOneOrFail(Ticket, { id: first.ticketId });
      expect(ticket).toMatchObject({
        title: 'Onboard Ada',
        description: 'Walk Ada through the workspace',
        kind: 'support',
        priority: 'high',
      });
      expect(ticket.customer?.id).toBe(context.customerId);

      const concurrent = (await Promise.all(
        Array.from({ length: 20 }, (_, i) => context.call('ticketing', 'createTicket', { title: `Ticket ${i}`, priority: 'normal' })),
      )) as unknown as TicketResult[];
      expect(concurrent.map((result) => result.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));

      // Another tenant starts at 1.
      const otherTenant = await context.orm.em
        .fork()
        .getConnection()
        .execute<{ id: string }[]>(
          `insert into tenants (id, slug, name, created_at) values (gen_random_uuid(), 'other-tickets', 'Other', now()) returning id`,
        );
      const other = (await context.call(
        'ticketing',
        'createTicket',
        { title: 'Elsewhere' },
        { tenantId: otherTenant[0]!.id },
      )) as unknown as TicketResult;
      expect(other.ticketNumber).toBe('TCK-000001');
    });

    it('refuses an unknown customer and a bad priority', async () => {
      await expect(
        context.call('ticketing', 'createTicket', { title: 'x', customerId: '5d0c2b8e-7d4a-4a8e-9a55-3d8f4d3f2c11' }),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(context.call('ticketing', 'createTicket', { title: 'x', priority: 'whenever' })).rejects.toMatchObject({
        code: 'VALIDATION',
      });
    });

    it('creates one ticket per idempotency key', async () => {
      const first = await context.call('ticketing', 'createTicket', { title: 'Once' }, { key: 'exec-3:create_ticket' });
      const count = await countRows(context, 'tickets');
      expect(await context.call('ticketing', 'createTicket', { title: 'Once' }, { key: 'exec-3:create_ticket' })).toEqual(first);
      expect(await countRows(context, 'tickets')).toBe(count);
    });
  });

  describe('scheduleInstallation', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    const install = (params: Record<string, unknown>, options: { key?: string } = {}) =>
      context.call(
        'ticketing',
        'scheduleInstallation',
        { customerId: context.customerId, installationAddress: '1 Fibre Road', ...params },
        { now, ...options },
      );

    it('opens an installation ticket and books the technician', async () => {
      const result = (await install({
        technicianId: alice,
        scheduledDate: '2026-12-01T09:00:00+01:00',
        durationMinutes: 120,
      })) as unknown as InstallationResult;
      expect(result).toMatchObject({
        technicianId: alice,
        technicianName: 'Alice Tech',
        startsAt: '2026-12-01T08:00:00.000Z',
        endsAt: '2026-12-01T10:00:00.000Z',
      });
      expect(result.ticketNumber).toMatch(/^TCK-\d{6}$/);
      const em = context.orm.em.fork();
      const ticket = await em.findOneOrFail(Ticket, { id: result.ticketId });
      expect(ticket).toMatchObject({
        kind: 'installation',
        status: 'scheduled',
        assignedTeam: 'installations',
        installationAddress: '1 Fibre Road',
      });
      const appointment = await em.findOneOrFail(TechnicianAppointment, { id: result.appointmentId });
      expect(appointment).toMatchObject({ status: 'scheduled', address: '1 Fibre Road' });
      expect(appointment.ticket.id).toBe(result.ticketId);
    });

    it('never double-books a technician: an overlapping slot is CONFLICT, an adjacent one is fine', async () => {
      await expect(install({ technicianId: alice, scheduledDate: '2026-12-01T09:30:00Z', durationMinutes: 60 })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      // A date alone books the whole day, which overlaps the morning visit.
      await expect(install({ technicianId: alice, scheduledDate: '2026-12-01' })).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(install({ technicianId: alice, scheduledDate: '2026-12-01T10:00:00Z', durationMinutes: 60 })).resolves.toMatchObject({
        technicianId: alice,
      });
      await expect(install({ technicianId: bob, scheduledDate: '2026-12-01T09:30:00Z', durationMinutes: 60 })).resolves.toMatchObject({
        technicianId: bob,
      });
    });

    it('holds under concurrency: of ten bookings racing for one slot, exactly one wins and no ticket is left behind', async () => {
      const before = await countRows(context, 'tickets');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, () => install({ technicianId: bob, scheduledDate: '2026-12-02T13:00:00Z', durationMinutes: 90 })),
      );
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(9);
      for (const reason of lost) expect(reason).toBeInstanceOf(AppError);
      expect(lost.map((reason) => (reason as AppError).code)).toEqual(Array(9).fill('CONFLICT'));
      expect(await countRows(context, 'tickets')).toBe(before + 1);
      const booked = await context.orm.em
        .fork()
        .count(TechnicianAppointment, { technician: bob, startsAt: new Date('2026-12-02T13:00:00Z') });
      expect(booked).toBe(1);
    });

    it('picks a free technician when none is named, and is CONFLICT when everyone is busy', async () => {
      const slot = { scheduledDate: '2026-12-03T08:00:00Z', durationMinutes: 60 };
      const picked = (await Promise.all([install(slot), install(slot)])) as unknown as InstallationResult[];
      expect(picked.map((result) => result.technicianId).sort()).toEqual([alice, bob].sort());
      await expect(install(slot)).rejects.toMatchObject({ code: 'CONFLICT' });
    });

    it('refuses unknown customers and technicians, inactive technicians and past dates', async () => {
      await expect(
        install({ technicianId: alice, scheduledDate: '2026-12-04', customerId: '5d0c2b8e-7d4a-4a8e-9a55-3d8f4d3f2c11' }),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(install({ technicianId: '5d0c2b8e-7d4a-4a8e-9a55-3d8f4d3f2c11', scheduledDate: '2026-12-04' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(install({ technicianId: retired, scheduledDate: '2026-12-04' })).rejects.toMatchObject({ code: 'INVALID_STATE' });
      await expect(install({ technicianId: alice, scheduledDate: '2026-11-19' })).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(install({ technicianId: alice, scheduledDate: 'next tuesday' })).rejects.toMatchObject({ code: 'VALIDATION' });
    });

    it('books once per idempotency key', async () => {
      const params = { technicianId: alice, scheduledDate: '2026-12-05' };
      const first = await install(params, { key: 'exec-5:schedule_installation' });
      const counts = [await countRows(context, 'tickets'), await countRows(context, 'technician_appointments')];
      expect(await install(params, { key: 'exec-5:schedule_installation' })).toEqual(first);
      expect([await countRows(context, 'tickets'), await countRows(context, 'technician_appointments')]).toEqual(counts);
    });
  });
});
