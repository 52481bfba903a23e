import {
  DomainApproveInstallationTicketDocument,
  DomainRequestInstallationDocument,
  DomainTicketsDocument,
  RetryExecutionDocument,
} from '../../generated/graphql.js';
import { dayFromToday, startWorkflowHarness, step, surveyedCustomer, type WorkflowHarness } from './harness.js';

/**
 * Issue 11, item 2: a failed installation run leaves ticketing consistent — the approved request is back
 * in the queue saying why, the installation it booked is closed and the technician's day freed — and a
 * retry takes all of it again.
 */
describe('a failed isp_ticket_to_deployment run gives back what it reserved', () => {
  let h: WorkflowHarness;

  beforeAll(async () => {
    h = await startWorkflowHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Requests and approves an installation, as a user does: the run that approval started. */
  async function approvedRun(customerId: string, scheduledDate: string): Promise<{ requestId: string; executionId: string }> {
    const request = (
      await h.gql(DomainRequestInstallationDocument, { input: { customerId, installationAddress: 'Somewhere 1, Springfield' } })
    ).requestInstallation;
    await h.gql(DomainApproveInstallationTicketDocument, { id: request.id, scheduledDate });
    const { started } = await h.dispatched('ticket.installation_approved', (payload) => payload['ticketId'] === request.id);
    return { requestId: request.id, executionId: started['isp_ticket_to_deployment'] ?? '' };
  }

  const tickets = async (customerId: string) => (await h.gql(DomainTicketsDocument, { kind: 'INSTALLATION', customerId })).tickets;
  const description = async (ticketId: string) =>
    (await h.query<{ description: string }>('select description from tickets where id = ?', [ticketId]))[0]?.description ?? '';

  it('reopens the request with a note, closes the booking and frees the technician; a retry takes them again', async () => {
    const serial = 'ROLLBACK-CPE-0201';
    const customerId = await surveyedCustomer(h, 'Rosa Rollback', serial);
    const day = dayFromToday(30);
    const { requestId, executionId } = await approvedRun(customerId, day);

    const failed = await h.waitFor(executionId);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatchObject({ code: 'NOT_FOUND', step: 'provision_cpe' });
    for (const key of ['create_radius_subscriber', 'allocate_resources', 'schedule_installation', 'start_request']) {
      expect(step(failed, key).compensation).toMatchObject({ status: 'completed' });
    }

    const booking = (await tickets(customerId)).find((ticket) => ticket.id !== requestId);
    const booked = step(failed, 'schedule_installation').output as { ticketId: string; technicianId: string; startsAt: string };
    expect(booking).toMatchObject({
      id: booked.ticketId,
      status: 'CLOSED',
      appointment: { technicianId: booked.technicianId, status: 'cancelled' },
    });
    expect(await description(booked.ticketId)).toMatch(/Cancelled .*installation workflow failed and was rolled back/);
    expect((await tickets(customerId)).find((ticket) => ticket.id === requestId)?.status).toBe('OPEN');
    expect(await description(requestId)).toMatch(/Installation failed .*rolled back/);
    const live = await h.query<{ n: number }>(
      "select count(*)::int as n from technician_appointments where customer_id = ? and status <> 'cancelled'",
      [customerId],
    );
    expect(live[0]?.n).toBe(0);

    // The cause fixed (the ACS knows the CPE), a retry takes the request and a technician again: the
    // same technician, whose day the cancelled appointment no longer holds.
    h.acs.addDevice({ serial });
    await h.gql(RetryExecutionDocument, { id: executionId });
    const run = await h.waitFor(executionId, (each) => each.status === 'COMPLETED');
    const rebooked = step(run, 'schedule_installation').output as { ticketId: string; technicianId: string; startsAt: string };
    expect(rebooked.ticketId).not.toBe(booked.ticketId);
    expect(rebooked).toMatchObject({ technicianId: booked.technicianId, startsAt: booked.startsAt });
    const after = await tickets(customerId);
    expect(after.find((ticket) => ticket.id === requestId)?.status).toBe('IN_PROGRESS');
    expect(after.find((ticket) => ticket.id === rebooked.ticketId)).toMatchObject({
      status: 'SCHEDULED',
      appointment: { status: 'scheduled' },
    });
    expect(after.find((ticket) => ticket.id === booked.ticketId)?.status).toBe('CLOSED');
  });

  it('reopens the request when the run fails before booking anything', async () => {
    const customerId = await surveyedCustomer(h, 'Sam Nosurvey');
    const { requestId, executionId } = await approvedRun(customerId, dayFromToday(31));

    const failed = await h.waitFor(executionId);
    expect(failed.error).toMatchObject({ code: 'NOT_FOUND', step: 'get_site_survey' });
    expect(step(failed, 'start_request').compensation).toMatchObject({ status: 'completed' });
    expect((await tickets(customerId)).map((ticket) => [ticket.id, ticket.status])).toEqual([[requestId, 'OPEN']]);
    expect(await description(requestId)).toMatch(/Installation failed/);
  });

  it('keeps a live, billed service when only the activation e-mail cannot be written', async () => {
    const serial = 'MAILLESS-CPE-0203';
    h.acs.addDevice({ serial });
    const customerId = await surveyedCustomer(h, 'Mo Mailless', serial);
    const template = (name: string, to: string) =>
      h.query('update email_templates set name = ? where tenant_id = ? and name = ?', [to, h.tenantId, name]);
    await template('service_activated', 'service_activated_withheld');
    const run = await h.waitFor(await h.run('isp_ticket_to_deployment', { customer_id: customerId, scheduled_date: dayFromToday(32) }));
    await template('service_activated_withheld', 'service_activated');

    expect(run.status).toBe('COMPLETED');
    expect(step(run, 'send_service_activated')).toMatchObject({ status: 'FAILED', error: { code: 'NOT_FOUND' } });
    expect(run.steps.filter((each) => each.compensation)).toEqual([]);
    const allocated = step(run, 'allocate_resources').output as { serviceId: string; username: string };
    const [service] = await h.query<{ status: string }>('select status from service_instances where id = ?', [allocated.serviceId]);
    expect(service?.status).toBe('active');
    expect(await h.query('select username from radcheck where username = ?', [allocated.username])).toEqual([
      { username: allocated.username },
    ]);
    expect((await tickets(customerId)).map((ticket) => ticket.status)).toEqual(['SCHEDULED']);
  });
});
