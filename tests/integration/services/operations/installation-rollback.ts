import { Technician } from '../../../../src/entities/domain/technician.entity.js';
import { TechnicianAppointment } from '../../../../src/entities/domain/technician-appointment.entity.js';
import { Ticket } from '../../../../src/entities/domain/ticket.entity.js';
import { AppError } from '../../../../src/errors.js';
import { setUpOperations, type OperationsTestContext } from './support/context.js';

/** The ticketing undos of a failed installation run (issue 11, item 2). */
describe('ticketing: rolling back an installation', () => {
  let context: OperationsTestContext;

  beforeAll(async () => {
    context = await setUpOperations();
    const em = context.orm.em.fork();
    em.create(Technician, { tenant: context.tenantId, name: 'Tess Tech', email: 'tess@example.com' });
    await em.flush();
  });
  afterAll(() => context.close());

  const ticket = async (id: string) => context.orm.em.fork().findOneOrFail(Ticket, { id });

  let number = 900_000;
  async function request(status: 'open' | 'in_progress' | 'closed'): Promise<string> {
    const em = context.orm.em.fork();
    const created = em.create(Ticket, {
      tenant: context.tenantId,
      number: (number += 1),
      kind: 'installation',
      title: 'Installation request',
      customer: context.customerId,
      status,
      installationAddress: '1 Test Road',
    });
    await em.flush();
    return created.id;
  }

  it('takes an open or approved request, reopens it once with a note, and refuses another customer or a closed request', async () => {
    const id = await request('open');
    expect(await context.call('ticketing', 'startInstallationRequest', { ticketId: id, customerId: context.customerId })).toMatchObject({
      status: 'in_progress',
    });
    for (let undo = 0; undo < 2; undo += 1) {
      expect(await context.call('ticketing', 'reopenInstallationRequest', { ticketId: id })).toMatchObject({ status: 'open' });
    }
    expect((await ticket(id)).description.match(/Installation failed/g)).toHaveLength(1);

    const other = await context.createCustomer('Someone Else');
    await expect(context.call('ticketing', 'startInstallationRequest', { ticketId: id, customerId: other })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    await expect(
      context.call('ticketing', 'startInstallationRequest', { ticketId: await request('closed'), customerId: context.customerId }),
    ).rejects.toBeInstanceOf(AppError);
  });

  it("closes the booked installation and cancels its appointment, which frees the technician's slot", async () => {
    const book = () =>
      context.call('ticketing', 'scheduleInstallation', {
        customerId: context.customerId,
        installationAddress: '1 Test Road',
        scheduledDate: '2031-06-01',
      }) as Promise<{
        ticketId: string;
        appointmentId: string;
      }>;
    const booked = await book();
    await expect(book()).rejects.toMatchObject({ code: 'CONFLICT' });

    for (let undo = 0; undo < 2; undo += 1) {
      expect(await context.call('ticketing', 'cancelInstallation', { ticketId: booked.ticketId })).toMatchObject({ status: 'closed' });
    }
    expect((await ticket(booked.ticketId)).description).toMatch(/^Installation for .*\n\nCancelled .*rolled back/s);
    expect((await context.orm.em.fork().findOneOrFail(TechnicianAppointment, { id: booked.appointmentId })).status).toBe('cancelled');
    expect((await book()).ticketId).not.toBe(booked.ticketId);
  });
});
