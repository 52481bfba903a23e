import { IpAllocation } from '../../../../src/entities/domain/ip-allocation.entity.js';
import { IpPool } from '../../../../src/entities/domain/ip-pool.entity.js';
import { VlanRange } from '../../../../src/entities/domain/vlan-range.entity.js';
import { createOperationsServiceMethods } from '../../../../src/services/operations.js';
import { createServiceRegistry, type ServiceRegistry } from '../../../../src/services/registry.js';
import { startFakeNetbox, type FakeNetbox } from './support/fake-netbox.js';
import { setUpOperations, type OperationsTestContext } from './support/context.js';

interface Allocated {
  serviceId: string;
  ipAddress: string;
}

describe('network.allocateResources with the NetBox IPAM', () => {
  let netbox: FakeNetbox;
  let context: OperationsTestContext;
  let registry: ServiceRegistry;

  beforeAll(async () => {
    netbox = await startFakeNetbox();
    // NetBox prefix 7 is 10.9.0.0/29 with hosts .1–.3 free for us.
    netbox.addPrefix(7, 1, 3, '10.9.0', 29);
    context = await setUpOperations({ ipam: { kind: 'netbox', url: netbox.url, token: netbox.token, timeoutMs: 5_000 } });
    registry = context.registry;
    const em = context.orm.em.fork();
    em.create(IpPool, { tenant: context.tenantId, name: 'nb', location: 'pop-nb', cidr: '10.9.0.0/29', netboxPrefixId: 7 });
    em.create(VlanRange, { tenant: context.tenantId, name: 'nb', location: 'pop-nb', firstVlan: 300, lastVlan: 399 });
    await em.flush();
  });
  afterAll(async () => {
    // The fake server is stopped even when the context failed to start or to close: a listening server keeps jest's worker alive.
    try {
      await context.close();
    } finally {
      await netbox.stop();
    }
  });

  const allocate = (key?: string, options: { registry?: ServiceRegistry } = {}) =>
    context.call(
      'network',
      'allocateResources',
      { customerId: context.customerId, serviceLocation: 'pop-nb', bandwidthPlan: '50M/10M' },
      { key, ...options },
    ) as Promise<unknown> as Promise<Allocated>;

  it('is an external effect, since it calls NetBox', () => {
    expect(registry.resolve('network', 'allocateResources')?.effects).toBe('external');
  });

  it("takes the address from NetBox's available-ips and records NetBox's id for it", async () => {
    const result = await allocate('exec-1:allocate');
    expect(result).toMatchObject({ ipAddress: '10.9.0.1', vlanId: 300 });
    const record = [...netbox.addresses.values()][0]!;
    expect(record).toMatchObject({ address: '10.9.0.1/29', prefixId: 7, description: expect.stringMatching(/^switchyard:[0-9a-f]{40}$/) });
    const allocation = await context.orm.em.fork().findOneOrFail(IpAllocation, { serviceInstance: result.serviceId });
    expect(allocation).toMatchObject({ address: '10.9.0.1', externalId: String(record.id) });
  });

  it('finds the address it already took when a step is retried, instead of taking another', async () => {
    expect(await allocate('exec-1:allocate')).toMatchObject({ ipAddress: '10.9.0.1' });
    // The first attempt took an address in NetBox, then its transaction was lost: the retry reuses it.
    const retried = await context.orm.em
      .fork()
      .transactional(async (em) => {
        const result = await registry.call(
          'network',
          'allocateResources',
          { em, tenantId: context.tenantId, idempotencyKey: 'exec-2:allocate', now: new Date(), signal: new AbortController().signal },
          { customerId: context.customerId, serviceLocation: 'pop-nb', bandwidthPlan: '50M/10M' },
        );
        throw Object.assign(new Error('crash after NetBox answered'), { result });
      })
      .catch((error: { result?: Allocated }) => error.result);
    expect(retried?.ipAddress).toBe('10.9.0.2');
    expect(netbox.addresses.size).toBe(2);
    expect(await allocate('exec-2:allocate')).toMatchObject({ ipAddress: '10.9.0.2' });
    expect(netbox.addresses.size).toBe(2);
  });

  it('is POOL_EXHAUSTED when NetBox has no address left', async () => {
    await allocate();
    await expect(allocate()).rejects.toMatchObject({ code: 'POOL_EXHAUSTED' });
  });

  it('deletes the address in NetBox on release, so it can be handed out again', async () => {
    const [service] = await context.orm.em.fork().find(IpAllocation, { address: '10.9.0.2', releasedAt: null });
    await context.call('network', 'releaseResources', { serviceId: service!.serviceInstance.id });
    expect([...netbox.addresses.values()].map((record) => record.address)).not.toContain('10.9.0.2/29');
    expect(await allocate()).toMatchObject({ ipAddress: '10.9.0.2' });
  });

  it('is EXTERNAL_UNAVAILABLE (retryable) when NetBox is down, and says so without retrying on a bad token', async () => {
    netbox.setDown(true);
    await expect(allocate()).rejects.toMatchObject({ code: 'EXTERNAL_UNAVAILABLE', retryable: true });
    netbox.setDown(false);
    const badToken = createServiceRegistry(createOperationsServiceMethods({ ipam: { kind: 'netbox', url: netbox.url, token: 'wrong' } }));
    await expect(allocate(undefined, { registry: badToken })).rejects.toMatchObject({ code: 'EXTERNAL_UNAVAILABLE', retryable: false });
    const unreachable = createServiceRegistry(
      createOperationsServiceMethods({ ipam: { kind: 'netbox', url: 'http://127.0.0.1:9', token: 'x' } }),
    );
    await expect(allocate(undefined, { registry: unreachable })).rejects.toMatchObject({ code: 'EXTERNAL_UNAVAILABLE', retryable: true });
  });
});
