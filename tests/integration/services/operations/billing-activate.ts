import { DomainEvent } from '../../../../src/entities/domain-event.entity.js';
import { IpPool } from '../../../../src/entities/domain/ip-pool.entity.js';
import { ServiceInstance } from '../../../../src/entities/domain/service-instance.entity.js';
import { VlanRange } from '../../../../src/entities/domain/vlan-range.entity.js';
import { setUpOperations, type OperationsTestContext } from './support/context.js';

describe('billing.activateService', () => {
  let context: OperationsTestContext;
  const allocate = async () =>
    (
      (await context.call('network', 'allocateResources', {
        customerId: context.customerId,
        serviceLocation: 'pop',
        bandwidthPlan: '100M/20M',
      })) as { serviceId: string }
    ).serviceId;

  beforeAll(async () => {
    context = await setUpOperations();
    const em = context.orm.em.fork();
    em.create(IpPool, { tenant: context.tenantId, name: 'pop', location: 'pop', cidr: '100.64.9.0/24' });
    em.create(VlanRange, { tenant: context.tenantId, name: 'pop', location: 'pop', firstVlan: 10, lastVlan: 20 });
    await em.flush();
  });
  afterAll(() => context.close());

  it('activates a provisioning service; billing starts at activation; a second call returns the same answer', async () => {
    const serviceId = await allocate();
    const activatedAt = new Date('2026-12-01T10:00:00Z');
    const first = await context.call(
      'billing_service',
      'activate_service',
      { customer_id: context.customerId, service_id: serviceId },
      { now: activatedAt },
    );
    expect(first).toEqual({
      serviceId,
      customerId: context.customerId,
      status: 'active',
      activatedAt: '2026-12-01T10:00:00.000Z',
      billingStartsAt: '2026-12-01T10:00:00.000Z',
    });
    const service = await context.orm.em.fork().findOneOrFail(ServiceInstance, { id: serviceId });
    expect(service).toMatchObject({ status: 'active', activatedAt, billingStartsAt: activatedAt });
    const events = await context.orm.em.fork().find(DomainEvent, { name: 'service.activated' });
    expect(events.map((event) => event.payload)).toEqual([
      { serviceId, customerId: context.customerId, bandwidthPlan: '100M/20M', activatedAt: '2026-12-01T10:00:00.000Z' },
    ]);

    // Another key, a day later: nothing moves.
    const again = await context.call(
      'billing',
      'activateService',
      { customerId: context.customerId, serviceId },
      { now: new Date('2026-12-02T10:00:00Z') },
    );
    expect(again).toEqual(first);
    expect(await context.orm.em.fork().count(DomainEvent, { name: 'service.activated' })).toBe(1);
  });

  it("refuses a released service, another customer's service and unknown ones", async () => {
    const serviceId = await allocate();
    await context.call('network', 'releaseResources', { serviceId });
    await expect(context.call('billing', 'activateService', { customerId: context.customerId, serviceId })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    const other = await context.createCustomer('Mallory');
    const mine = await allocate();
    await expect(context.call('billing', 'activateService', { customerId: other, serviceId: mine })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(context.call('billing', 'activateService', { customerId: context.customerId, serviceId: 'nope' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('changes nothing when called again with the same idempotency key', async () => {
    const serviceId = await allocate();
    const first = await context.call(
      'billing',
      'activateService',
      { customerId: context.customerId, serviceId },
      { key: 'exec-6:activate' },
    );
    const updatedAt = (await context.orm.em.fork().findOneOrFail(ServiceInstance, { id: serviceId })).updatedAt;
    expect(
      await context.call('billing', 'activateService', { customerId: context.customerId, serviceId }, { key: 'exec-6:activate' }),
    ).toEqual(first);
    expect((await context.orm.em.fork().findOneOrFail(ServiceInstance, { id: serviceId })).updatedAt).toEqual(updatedAt);
  });
});
