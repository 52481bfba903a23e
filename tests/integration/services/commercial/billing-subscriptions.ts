import type { Tenant } from '../../../../src/entities/index.js';
import type { Plan } from '../../../../src/entities/domain/plan.entity.js';
import type { CommercialHarness } from '../../../helpers/commercial-fixtures.js';
import { startBillingSuite } from './billing-suite.js';

/** Subscriptions: starting one on a plan, once. */
describe('billing service', () => {
  let h: CommercialHarness;
  let tenant: Tenant;
  let otherTenant: Tenant;
  let monthly: Plan;
  let annual: Plan;

  beforeAll(async () => {
    ({ h, tenant, otherTenant, monthly, annual } = await startBillingSuite());
  });
  afterAll(() => h.close());

  describe('createSubscription', () => {
    it('starts a subscription whose period is one billing cycle of the plan, found by code or id', async () => {
      const customer = await h.fixtures.customer(tenant.id);
      const now = new Date('2026-01-31T10:00:00.000Z');
      const byCode = await h.call(
        tenant.id,
        'billing',
        'createSubscription',
        { customerId: customer.id, planId: 'pro-monthly', tenantId: tenant.id },
        { now },
      );
      expect(byCode).toEqual({
        subscriptionId: expect.any(String),
        customerId: customer.id,
        planId: monthly.id,
        planCode: 'pro-monthly',
        status: 'active',
        billingCycle: 'monthly',
        priceAmount: 9_900,
        currency: 'USD',
        currentPeriodStart: '2026-01-31T10:00:00.000Z',
        currentPeriodEnd: '2026-02-28T10:00:00.000Z',
        created: true,
      });
      const byId = await h.call(
        tenant.id,
        'billing',
        'createSubscription',
        { customerId: customer.id, planId: annual.id, tenantId: tenant.id },
        { now },
      );
      expect(byId.currentPeriodEnd).toBe('2027-01-31T10:00:00.000Z');
      expect(await h.count('subscriptions', `customer_id = ? and status = 'active'`, [customer.id])).toBe(2);
      expect(await h.count('subscription_events', `subscription_id = ? and type = 'created'`, [byCode.subscriptionId])).toBe(1);
    });

    it('returns the active subscription on the same plan instead of a second one', async () => {
      const customer = await h.fixtures.customer(tenant.id);
      const params = { customerId: customer.id, planId: 'pro-monthly', tenantId: tenant.id };
      const first = await h.call(tenant.id, 'billing', 'createSubscription', params);
      const [again, racing] = await Promise.all([
        h.call(tenant.id, 'billing', 'createSubscription', params),
        h.call(tenant.id, 'billing', 'createSubscription', params),
      ]);
      // The same subscription; `created: false` says these calls found it (their undo cancels nothing).
      expect(again).toEqual({ ...first, created: false });
      expect(racing).toEqual({ ...first, created: false });
      expect(await h.count('subscriptions', 'customer_id = ?', [customer.id])).toBe(1);
    });

    it('changes nothing when called again with the same idempotency key', async () => {
      const customer = await h.fixtures.customer(tenant.id);
      const params = { customerId: customer.id, planId: 'pro-monthly', tenantId: tenant.id };
      const first = await h.call(tenant.id, 'billing', 'createSubscription', params, { key: 'exec-5:subscribe' });
      const before = await h.fingerprint();
      expect(await h.call(tenant.id, 'billing', 'createSubscription', params, { key: 'exec-5:subscribe' })).toEqual(first);
      expect(await h.fingerprint()).toBe(before);
    });

    it('refuses retired plans, unknown plans and customers, and a foreign tenantId', async () => {
      const customer = await h.fixtures.customer(tenant.id);
      const retired = await h.fixtures.plan(tenant.id, { active: false });
      const subscribe = (planId: string, customerId = customer.id, tenantId = tenant.id) =>
        h.call(tenant.id, 'billing', 'createSubscription', { customerId, planId, tenantId });
      await expect(subscribe(retired.code)).rejects.toMatchObject({ code: 'INVALID_STATE' });
      await expect(subscribe('gold-plan')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(subscribe('pro-monthly', (await h.fixtures.customer(otherTenant.id)).id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(subscribe('pro-monthly', customer.id, otherTenant.slug)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await h.count('subscriptions', 'customer_id = ?', [customer.id])).toBe(0);
    });
  });
});
