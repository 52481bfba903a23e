import type { JsonObject } from '../../../src/entities/json.js';
import { ispTicketToDeployment } from '../../../src/workflows/isp-ticket-to-deployment.js';
import { DomainNetworkRecordsDocument, RerunExecutionDocument, RetryExecutionDocument } from '../../generated/graphql.js';
import { dayFromToday, startWorkflowHarness, step, surveyedCustomer, type Execution, type WorkflowHarness } from './harness.js';

const ISP = 'isp_ticket_to_deployment';
const PPPOE_USERNAME = 'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1.Username';

interface Allocated {
  serviceId: string;
  ipAddress: string;
  username: string;
}

/**
 * Issue 11, item 1: a step that was compensated is undone, so running it again — `retryExecution` of the
 * same run, or `rerunExecution` from before it — must do its work again, not answer from the idempotency
 * record of the call that was undone.
 */
describe('retrying a compensated run redoes the compensated steps', () => {
  let h: WorkflowHarness;

  beforeAll(async () => {
    h = await startWorkflowHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const allocatedBy = (run: Execution) => step(run, 'allocate_resources').output as Allocated;

  /** What the customer holds: its service instances (oldest first), their allocations, their RADIUS users. */
  async function liveResources(customerId: string) {
    const network = await h.gql(DomainNetworkRecordsDocument, { customerId });
    const instances = await h.query<{ id: string; status: string }>(
      'select id, status from service_instances where customer_id = ? order by created_at',
      [customerId],
    );
    const users = await h.query<{ username: string }>(
      'select distinct r.username from radcheck r join service_instances s on s.username = r.username where s.customer_id = ?',
      [customerId],
    );
    return { allocations: network.allocations, instances, radiusUsers: users.map((user) => user.username) };
  }

  /** A run that fails at provision_cpe (the ACS does not know the CPE yet), with its compensations done. */
  async function failedAtCpe(customerId: string, day: number): Promise<Execution> {
    const run = await h.waitFor(await h.run(ISP, { customer_id: customerId, scheduled_date: dayFromToday(day) }));
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatchObject({ code: 'NOT_FOUND', step: 'provision_cpe', retryable: false });
    expect(step(run, 'allocate_resources').compensation).toMatchObject({ status: 'completed' });
    expect(step(run, 'create_radius_subscriber').compensation).toMatchObject({ status: 'completed' });
    return run;
  }

  it('retryExecution allocates afresh, creates the RADIUS user again and provisions the CPE with it', async () => {
    const serial = 'LATE-CPE-0101';
    const customerId = await surveyedCustomer(h, 'Rhea Retry', serial);
    const failed = await failedAtCpe(customerId, 20);
    const first = allocatedBy(failed);
    expect((await liveResources(customerId)).radiusUsers).toEqual([]);

    // Retried while the cause is still there: it fails again, and the second compensation undoes the
    // second allocation for real (not answered from the first compensation's record).
    await h.gql(RetryExecutionDocument, { id: failed.id });
    const again = await h.waitFor(failed.id, (run) => run.status === 'FAILED');
    const second = allocatedBy(again);
    expect(second.serviceId).not.toBe(first.serviceId);
    let live = await liveResources(customerId);
    expect(live.instances.map((instance) => instance.status)).toEqual(['released', 'released']);
    expect(live.radiusUsers).toEqual([]);

    // The CPE becomes known (GenieACS back): the retry completes on resources of its own.
    h.acs.addDevice({ serial });
    await h.gql(RetryExecutionDocument, { id: failed.id });
    const run = await h.waitFor(failed.id, (each) => each.status === 'COMPLETED');
    expect(run.error).toBeNull();
    const third = allocatedBy(run);
    expect(new Set([first.serviceId, second.serviceId, third.serviceId]).size).toBe(3);
    expect(step(run, 'allocate_resources').output).toMatchObject({ status: 'provisioning' });

    live = await liveResources(customerId);
    expect(live.instances).toEqual([
      { id: first.serviceId, status: 'released' },
      { id: second.serviceId, status: 'released' },
      { id: third.serviceId, status: 'active' },
    ]);
    expect(live.allocations.filter((allocation) => allocation.releasedAt === null)).toEqual([
      expect.objectContaining({ serviceId: third.serviceId, serviceStatus: 'active' }),
    ]);
    expect(live.radiusUsers).toEqual([third.username]);
    expect(step(run, 'create_radius_subscriber').output).toMatchObject({ username: third.username });
    const device = [...h.acs.devices.values()].find((candidate) => candidate.serial === serial);
    expect(device?.parameters.get(PPPOE_USERNAME)).toBe(third.username);
  });

  it('rerunExecution from before the compensated steps allocates afresh and completes', async () => {
    const serial = 'LATE-CPE-0102';
    const customerId = await surveyedCustomer(h, 'Remy Rerun', serial);
    const failed = await failedAtCpe(customerId, 21);
    const first = allocatedBy(failed);

    h.acs.addDevice({ serial });
    const rerunId = (await h.gql(RerunExecutionDocument, { id: failed.id, fromStep: 'allocate_resources' })).rerunExecution.id;
    const run = await h.waitFor(rerunId, (each) => each.status === 'COMPLETED');
    const fresh = allocatedBy(run);
    expect(fresh.serviceId).not.toBe(first.serviceId);

    const live = await liveResources(customerId);
    expect(live.instances).toEqual([
      { id: first.serviceId, status: 'released' },
      { id: fresh.serviceId, status: 'active' },
    ]);
    expect(live.radiusUsers).toEqual([fresh.username]);
    const device = [...h.acs.devices.values()].find((candidate) => candidate.serial === serial);
    expect(device?.parameters.get(PPPOE_USERNAME)).toBe(fresh.username);
  });

  it('the issue as reported: GenieACS unreachable until provision_cpe gives up, then back, and retryExecution completes', async () => {
    // The built-in definition with a quick backoff on the CPE step and no trigger of its own.
    const { triggers: _none, ...definition } = ispTicketToDeployment({ tenantId: h.tenantId }).definition;
    const steps = definition.steps.map((each) =>
      each.name === 'provision_cpe'
        ? { ...each, retry: { maxAttempts: 3, initialIntervalSeconds: 0.05, backoffRate: 1, jitter: 'none' as const } }
        : each,
    );
    await h.server.engine.workflows.save({
      tenantId: h.tenantId,
      name: 'isp_quick_backoff',
      definition: { ...definition, steps } as unknown as JsonObject,
    });
    const serial = 'DOWN-CPE-0103';
    h.acs.addDevice({ serial });
    const customerId = await surveyedCustomer(h, 'Ula Unreachable', serial);

    h.acs.setMode('error');
    let failed: Execution;
    try {
      failed = await h.waitFor(await h.run('isp_quick_backoff', { customer_id: customerId, scheduled_date: dayFromToday(22) }));
    } finally {
      h.acs.setMode('up');
    }
    // Worth retrying later: the ACS may be back by then (a device it does not know is not: see failedAtCpe).
    expect(failed.error).toMatchObject({ code: 'EXTERNAL_UNAVAILABLE', step: 'provision_cpe', retryable: true });
    expect(step(failed, 'provision_cpe')).toMatchObject({ attempts: 3, error: { code: 'EXTERNAL_UNAVAILABLE', retryable: true } });
    const released = allocatedBy(failed);

    await h.gql(RetryExecutionDocument, { id: failed.id });
    const run = await h.waitFor(failed.id, (each) => each.status === 'COMPLETED');
    const fresh = allocatedBy(run);
    expect(fresh.serviceId).not.toBe(released.serviceId);
    expect(step(run, 'activate_service').output).toMatchObject({ serviceId: fresh.serviceId, status: 'active' });
    expect((await liveResources(customerId)).radiusUsers).toEqual([fresh.username]);
    const device = [...h.acs.devices.values()].find((candidate) => candidate.serial === serial);
    expect(device?.parameters.get(PPPOE_USERNAME)).toBe(fresh.username);
  });
});
