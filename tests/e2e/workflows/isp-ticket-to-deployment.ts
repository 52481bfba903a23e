import {
  DomainApproveInstallationTicketDocument,
  DomainNetworkRecordsDocument,
  DomainOutboxEmailsDocument,
  DomainTicketsDocument,
} from '../../generated/graphql.js';
import {
  DEMO_CPE_SERIAL,
  dayFromToday,
  startWorkflowHarness,
  step,
  stepStatuses,
  surveyedCustomer,
  type WorkflowHarness,
} from './harness.js';

const ISP_STEPS = [
  'defaults',
  'start_request',
  'get_site_survey',
  'get_customer',
  'schedule_installation',
  'allocate_resources',
  'create_radius_subscriber',
  'provision_cpe',
  'activate_service',
  'send_service_activated',
];

describe('isp_ticket_to_deployment end to end', () => {
  let h: WorkflowHarness;

  beforeAll(async () => {
    h = await startWorkflowHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('runs from the demo installation request, approved through GraphQL, to a live service', async () => {
    const [request] = (await h.gql(DomainTicketsDocument, { kind: 'INSTALLATION', status: 'OPEN' })).tickets;
    expect(request).toMatchObject({ title: 'Installation request: Ada Homestead', installationAddress: '1 Demo Street, Springfield' });
    const customerId = request?.customerId ?? '';
    const day = dayFromToday(3);

    const approved = await h.gql(DomainApproveInstallationTicketDocument, { id: request?.id ?? '', scheduledDate: day });
    expect(approved.approveInstallationTicket.status).toBe('IN_PROGRESS');
    const { started } = await h.dispatched('ticket.installation_approved', (payload) => payload['ticketId'] === request?.id);
    const executionId = started['isp_ticket_to_deployment'];
    expect(Object.keys(started)).toEqual(['isp_ticket_to_deployment']);

    const run = await h.waitFor(executionId ?? '');
    expect(run.error).toBeNull();
    expect(run.status).toBe('COMPLETED');
    expect(run.context).toMatchObject({ customer_id: customerId, ticket_id: request?.id, scheduled_date: day });
    expect(run.steps.map((each) => [each.key, each.status])).toEqual(ISP_STEPS.map((key) => [key, 'COMPLETED']));
    expect(step(run, 'provision_cpe').attempts).toBe(1);

    // The technician's booking: an installation ticket with its appointment on the day asked for.
    const tickets = (await h.gql(DomainTicketsDocument, { kind: 'INSTALLATION', customerId })).tickets;
    const booked = tickets.find((ticket) => ticket.status === 'SCHEDULED');
    expect(booked).toMatchObject({ installationAddress: '1 Demo Street, Springfield', assignedTeam: 'installations' });
    expect(booked?.appointment?.startsAt).toBe(`${day}T00:00:00.000Z`);
    expect(tickets.find((ticket) => ticket.id === request?.id)?.status).toBe('IN_PROGRESS');

    // The address and the VLAN, held by an active service.
    const allocated = step(run, 'allocate_resources').output as { serviceId: string; ipAddress: string; vlanId: number; username: string };
    const network = await h.gql(DomainNetworkRecordsDocument, { customerId, username: allocated.username });
    expect(network.allocations).toEqual([
      expect.objectContaining({
        serviceId: allocated.serviceId,
        serviceStatus: 'active',
        location: 'demo-pop-1',
        bandwidthPlan: '100M/20M',
        releasedAt: null,
      }),
    ]);
    expect(network.allocations[0]?.ipAddress).toMatch(/^100\.64\.[0-3]\.\d+$/);
    expect(network.allocations[0]?.activatedAt).not.toBeNull();
    expect(network.allocations[0]?.vlanId).toBeGreaterThanOrEqual(100);

    // FreeRADIUS rows: a hashed password (never shown), the framed address and the rate limit.
    expect(network.radiusAccounts).toEqual([
      {
        username: allocated.username,
        checks: [{ attribute: 'SSHA2-256-Password', op: ':=', value: null }],
        replies: expect.arrayContaining([
          { attribute: 'Framed-IP-Address', op: ':=', value: allocated.ipAddress },
          { attribute: 'Mikrotik-Rate-Limit', op: ':=', value: '20M/100M' },
        ]),
        groups: ['bw-100M-20M'],
      },
    ]);

    // The CPE got the PPPoE credentials of that RADIUS account, through the GenieACS NBI. The password is
    // in the run's record (the next step needs it) but GraphQL never shows it.
    expect(step(run, 'create_radius_subscriber').output).toMatchObject({ username: allocated.username, password: '[redacted]' });
    expect(step(run, 'provision_cpe').input).toMatchObject({
      configTemplate: { pppoeUsername: allocated.username, pppoePassword: '[redacted]' },
    });
    const [recorded] = await h.query<{ password: string }>(
      "select output->>'password' as password from execution_steps where execution_id = ? and key = 'create_radius_subscriber'",
      [executionId],
    );
    const password = recorded?.password ?? '';
    expect(password).toMatch(/^\S{12,}$/);
    const device = [...h.acs.devices.values()].find((candidate) => candidate.serial === DEMO_CPE_SERIAL);
    expect(device?.parameters.get('InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1.Username')).toBe(
      allocated.username,
    );
    expect(device?.parameters.get('InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1.Password')).toBe(password);
    expect(device?.tags).toContain('switchyard-provisioned');
    const [cpe] = await h.query<{ customer_id: string; acs_device_id: string }>(
      'select customer_id, acs_device_id from cpe_devices where serial = ?',
      [DEMO_CPE_SERIAL],
    );
    expect(cpe).toEqual({ customer_id: customerId, acs_device_id: device?.id });

    const [email] = (await h.gql(DomainOutboxEmailsDocument, { template: 'service_activated', to: 'ada@homestead.example' })).outboxEmails;
    expect(email).toMatchObject({
      subject: 'Your internet service is live',
      toName: 'Ada Homestead',
      status: expect.stringMatching(/pending|sent/),
    });
    expect(email?.text).toContain(`PPPoE user: ${allocated.username}, address ${allocated.ipAddress}`);
  });

  it('retries the CPE step with backoff while GenieACS is down, and completes once it answers', async () => {
    const serial = 'RETRY-CPE-0002';
    h.acs.addDevice({ serial });
    const customerId = await surveyedCustomer(h, 'Rita Retry', serial);
    h.acs.setMode('error');
    const executionId = await h.run('isp_ticket_to_deployment', { customer_id: customerId, scheduled_date: dayFromToday(4) });

    const failing = await h.waitFor(executionId, (run) => run.steps.some((each) => each.key === 'provision_cpe' && each.attempts >= 2));
    expect(step(failing, 'provision_cpe').error).toMatchObject({ code: 'EXTERNAL_UNAVAILABLE', retryable: true });
    h.acs.setMode('up');

    const run = await h.waitFor(executionId);
    expect(run.status).toBe('COMPLETED');
    expect(step(run, 'provision_cpe')).toMatchObject({ status: 'COMPLETED' });
    expect(step(run, 'provision_cpe').attempts).toBeGreaterThanOrEqual(2);
    const network = await h.gql(DomainNetworkRecordsDocument, { customerId });
    expect(network.allocations[0]?.serviceStatus).toBe('active');
  });

  it('releases the address and VLAN and deletes the RADIUS account when a later step fails', async () => {
    const customerId = await surveyedCustomer(h, 'Nina Nodevice', 'UNKNOWN-CPE-0003');
    const executionId = await h.run('isp_ticket_to_deployment', { customer_id: customerId, scheduled_date: dayFromToday(5) });

    const run = await h.waitFor(executionId);
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatchObject({ code: 'NOT_FOUND', step: 'provision_cpe' });
    // GenieACS knowing no such device is final: not retried.
    expect(step(run, 'provision_cpe')).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(stepStatuses(run)).toMatchObject({
      allocate_resources: 'COMPLETED',
      create_radius_subscriber: 'COMPLETED',
      provision_cpe: 'FAILED',
    });
    expect(step(run, 'create_radius_subscriber').compensation).toMatchObject({ status: 'completed' });
    expect(step(run, 'allocate_resources').compensation).toMatchObject({ status: 'completed' });
    expect(run.steps.find((each) => each.key === 'activate_service')?.status ?? 'never started').not.toBe('COMPLETED');

    const allocated = step(run, 'allocate_resources').output as { serviceId: string; ipAddress: string; vlanId: number; username: string };
    const network = await h.gql(DomainNetworkRecordsDocument, { customerId, username: allocated.username });
    expect(network.allocations).toEqual([expect.objectContaining({ serviceId: allocated.serviceId, serviceStatus: 'released' })]);
    expect(network.allocations[0]?.releasedAt).not.toBeNull();
    expect(network.radiusAccounts).toEqual([]);
    const live = await h.query<{ n: number }>(
      `select (select count(*)::int from ip_allocations where service_instance_id = ? and released_at is null)
            + (select count(*)::int from vlan_allocations where service_instance_id = ? and released_at is null) as n`,
      [allocated.serviceId, allocated.serviceId],
    );
    expect(live[0]?.n).toBe(0);
    expect(
      await h.query('select 1 from radreply where username = ? union all select 1 from radusergroup where username = ?', [
        allocated.username,
        allocated.username,
      ]),
    ).toEqual([]);

    // Its address is free again: the next installation at the location can take it.
    const next = await surveyedCustomer(h, 'Otto Next', DEMO_CPE_SERIAL);
    const nextRun = await h.waitFor(await h.run('isp_ticket_to_deployment', { customer_id: next, scheduled_date: dayFromToday(6) }));
    expect(nextRun.status).toBe('COMPLETED');
    expect((step(nextRun, 'allocate_resources').output as { ipAddress: string }).ipAddress).toBe(allocated.ipAddress);
  });
});
