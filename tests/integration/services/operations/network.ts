import { IpAllocation } from '../../../../src/entities/domain/ip-allocation.entity.js';
import { IpPool } from '../../../../src/entities/domain/ip-pool.entity.js';
import { ServiceInstance } from '../../../../src/entities/domain/service-instance.entity.js';
import { VlanAllocation } from '../../../../src/entities/domain/vlan-allocation.entity.js';
import { VlanRange } from '../../../../src/entities/domain/vlan-range.entity.js';
import { AppError } from '../../../../src/errors.js';
import { countRows, setUpOperations, type OperationsTestContext } from './support/context.js';

interface Allocated {
  serviceId: string;
  ipAddress: string;
  vlanId: number;
  username: string;
}

describe('network.allocateResources and releaseResources (built-in IPAM)', () => {
  let context: OperationsTestContext;

  beforeAll(async () => {
    context = await setUpOperations();
    const em = context.orm.em.fork();
    const tenant = context.tenantId;
    // A /29: .0 is the network, .7 the broadcast, .1 the gateway: .2–.6 are assignable.
    em.create(IpPool, { tenant, name: 'tiny', location: 'pop-tiny', cidr: '192.0.2.0/29', gateway: '192.0.2.1' });
    em.create(VlanRange, { tenant, name: 'tiny', location: 'pop-tiny', firstVlan: 100, lastVlan: 199 });
    // 40 addresses: .10–.49 of a /24.
    em.create(IpPool, {
      tenant,
      name: 'forty',
      location: 'pop-forty',
      cidr: '198.51.100.0/24',
      gateway: '198.51.100.1',
      rangeStart: '198.51.100.10',
      rangeEnd: '198.51.100.49',
    });
    em.create(VlanRange, { tenant, name: 'forty', location: 'pop-forty', firstVlan: 1000, lastVlan: 1999 });
    // Two VLANs only.
    em.create(IpPool, { tenant, name: 'few-vlans', location: 'pop-vlans', cidr: '203.0.113.0/24' });
    em.create(VlanRange, { tenant, name: 'few-vlans', location: 'pop-vlans', firstVlan: 7, lastVlan: 8 });
    await em.flush();
  });
  afterAll(() => context.close());

  const allocate = (location: string, options: { key?: string; customerId?: string } = {}) =>
    context.call(
      'network_service',
      'allocate_resources',
      { customer_id: options.customerId ?? context.customerId, service_location: location, bandwidth_plan: '100M/20M' },
      { key: options.key },
    ) as Promise<unknown> as Promise<Allocated>;

  it('hands out the lowest free host address and VLAN, and creates the service instance', async () => {
    const result = await allocate('pop-tiny');
    expect(result).toEqual({
      serviceId: expect.any(String),
      ipAddress: '192.0.2.2',
      vlanId: 100,
      username: expect.stringMatching(/^svc-[0-9a-f]{16}$/),
      location: 'pop-tiny',
      status: 'provisioning',
    });
    const em = context.orm.em.fork();
    const service = await em.findOneOrFail(ServiceInstance, { id: result.serviceId });
    expect(service).toMatchObject({
      status: 'provisioning',
      ipAddress: '192.0.2.2',
      vlanId: 100,
      bandwidthPlan: '100M/20M',
      location: 'pop-tiny',
    });
    expect(service.customer.id).toBe(context.customerId);
    expect(await em.count(IpAllocation, { serviceInstance: service, address: '192.0.2.2', releasedAt: null })).toBe(1);
    expect(await em.count(VlanAllocation, { serviceInstance: service, vlanId: 100, releasedAt: null })).toBe(1);
  });

  it('never gives the network, broadcast or gateway address, and is POOL_EXHAUSTED when the pool is empty', async () => {
    const rest = await Promise.all([1, 2, 3, 4].map(() => allocate('pop-tiny')));
    expect(rest.map((result) => result.ipAddress).sort()).toEqual(['192.0.2.3', '192.0.2.4', '192.0.2.5', '192.0.2.6']);
    await expect(allocate('pop-tiny')).rejects.toMatchObject({ code: 'POOL_EXHAUSTED', retryable: false });
  });

  it('gives 40 distinct addresses to 50 concurrent allocations from a pool of 40, and POOL_EXHAUSTED to the other 10', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => allocate('pop-forty')));
    const addresses = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.ipAddress] : []));
    const errors = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    expect(addresses).toHaveLength(40);
    expect(new Set(addresses).size).toBe(40);
    const expected = Array.from({ length: 40 }, (_, i) => `198.51.100.${i + 10}`);
    expect([...addresses].sort()).toEqual([...expected].sort());
    expect(errors).toHaveLength(10);
    for (const error of errors) expect(error).toBeInstanceOf(AppError);
    expect(errors.map((error) => (error as AppError).code)).toEqual(Array(10).fill('POOL_EXHAUSTED'));
    const rows = await context.orm.em
      .fork()
      .getConnection()
      .execute<{ count: string; vlans: string }[]>(
        `select count(distinct a.address) as count, count(distinct v.vlan_id) as vlans
       from ip_allocations a join ip_pools p on p.id = a.pool_id join vlan_allocations v on v.service_instance_id = a.service_instance_id
       where p.name = 'forty' and a.released_at is null`,
      );
    expect(rows[0]).toEqual({ count: '40', vlans: '40' });
  });

  it('is POOL_EXHAUSTED when the VLANs run out, and NOT_FOUND for an unknown location or customer', async () => {
    await allocate('pop-vlans');
    await allocate('pop-vlans');
    const before = await countRows(context, 'ip_allocations');
    await expect(allocate('pop-vlans')).rejects.toMatchObject({ code: 'POOL_EXHAUSTED' });
    expect(await countRows(context, 'ip_allocations')).toBe(before);
    await expect(allocate('nowhere')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(allocate('pop-vlans', { customerId: '5d0c2b8e-7d4a-4a8e-9a55-3d8f4d3f2c11' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('releases the address and VLAN for reuse, idempotently, and refuses to release an active service', async () => {
    const [first] = await context.orm.em.fork().find(ServiceInstance, { location: 'pop-tiny', ipAddress: '192.0.2.4' });
    const released = await context.call('network', 'releaseResources', { serviceId: first!.id });
    expect(released).toMatchObject({ serviceId: first!.id, status: 'released', ipAddress: '192.0.2.4', releasedAt: expect.any(String) });
    // Again, under another key: same answer, nothing more changes.
    expect(await context.call('network', 'releaseResources', { serviceId: first!.id })).toEqual(released);

    const reused = await allocate('pop-tiny');
    expect(reused.ipAddress).toBe('192.0.2.4');
    const em = context.orm.em.fork();
    expect(await em.count(IpAllocation, { address: '192.0.2.4' })).toBe(2);
    expect(await em.count(IpAllocation, { address: '192.0.2.4', releasedAt: null })).toBe(1);

    await em.nativeUpdate(ServiceInstance, { id: reused.serviceId }, { status: 'active' });
    await expect(context.call('network', 'releaseResources', { serviceId: reused.serviceId })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    await expect(context.call('network', 'releaseResources', { serviceId: '5d0c2b8e-7d4a-4a8e-9a55-3d8f4d3f2c11' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('allocates once per idempotency key', async () => {
    const em = context.orm.em.fork();
    em.create(IpPool, { tenant: context.tenantId, name: 'spare', location: 'pop-spare', cidr: '10.20.0.0/24' });
    em.create(VlanRange, { tenant: context.tenantId, name: 'spare', location: 'pop-spare', firstVlan: 10, lastVlan: 20 });
    await em.flush();
    const once = await allocate('pop-spare', { key: 'exec-8:allocate' });
    const counts = [
      await countRows(context, 'service_instances'),
      await countRows(context, 'ip_allocations'),
      await countRows(context, 'vlan_allocations'),
    ];
    expect(await allocate('pop-spare', { key: 'exec-8:allocate' })).toEqual(once);
    expect([
      await countRows(context, 'service_instances'),
      await countRows(context, 'ip_allocations'),
      await countRows(context, 'vlan_allocations'),
    ]).toEqual(counts);
  });
});
