import type { Tenant } from '../../../../src/entities/index.js';
import { startCommercialHarness, type CommercialHarness } from '../../../helpers/commercial-fixtures.js';

/**
 * The undos the built-in workflows run when a later step fails (issue 11, item 2): each takes back only
 * what its own call made, is idempotent, and the forward method takes its record up again on a retry.
 */
describe('commercial compensations', () => {
  let h: CommercialHarness;
  let tenant: Tenant;

  beforeAll(async () => {
    h = await startCommercialHarness();
    tenant = await h.fixtures.tenant();
  });
  afterAll(() => h.close());

  const call = <T = Record<string, unknown>>(service: string, method: string, params: Record<string, unknown>) =>
    h.call<T>(tenant.id, service, method, params);
  const acceptedQuote = async (customerId: string) => {
    const quoteId = await h.fixtures.quote(tenant.id, customerId);
    await call('crm', 'acceptQuote', { quoteId, acceptedBy: 'test' });
    return quoteId;
  };
  const status = async (table: string, id: string) =>
    (await h.orm.em.fork().getConnection().execute<{ status: string }[]>(`select status from "${table}" where id = ?`, [id]))[0]?.status;

  it('billing.cancelSubscription cancels the subscription its call created, with a reason, once; one found already there stays', async () => {
    const plan = await h.fixtures.plan(tenant.id);
    const customer = await h.fixtures.customer(tenant.id);
    const made = await call<{ subscriptionId: string; created: boolean }>('billing', 'createSubscription', {
      customerId: customer.id,
      planId: plan.id,
      tenantId: tenant.id,
    });
    const found = await call<{ subscriptionId: string; created: boolean }>('billing', 'createSubscription', {
      customerId: customer.id,
      planId: plan.id,
      tenantId: tenant.id,
    });
    expect([made.created, found.created]).toEqual([true, false]);

    await call('billing', 'cancelSubscription', { subscriptionId: found.subscriptionId, created: found.created });
    expect(await status('subscriptions', made.subscriptionId)).toBe('active');

    for (let undo = 0; undo < 2; undo += 1) {
      expect(
        await call('billing', 'cancelSubscription', { subscriptionId: made.subscriptionId, created: true, reason: 'onboarding failed' }),
      ).toMatchObject({ status: 'cancelled' });
    }
    expect(
      await h.count('subscription_events', `subscription_id = ? and type = 'cancelled' and data->>'reason' = 'onboarding failed'`, [
        made.subscriptionId,
      ]),
    ).toBe(1);
    // A retry subscribes again.
    expect(await call('billing', 'createSubscription', { customerId: customer.id, planId: plan.id, tenantId: tenant.id })).toMatchObject({
      created: true,
      status: 'active',
    });
  });

  it('license.revokeLicense revokes only a license its call issued', async () => {
    const template = await h.fixtures.licenseTemplate(tenant.id);
    const customer = await h.fixtures.customer(tenant.id);
    const issue = () =>
      call<{ licenseId: string; created: boolean }>('license', 'issueLicense', {
        customerId: customer.id,
        licenseTemplateId: template.id,
        tenantId: tenant.id,
      });
    const issued = await issue();
    const held = await issue();
    await call('license', 'revokeLicense', { licenseId: held.licenseId, created: held.created });
    expect(await status('licenses', issued.licenseId)).toBe('active');
    await call('license', 'revokeLicense', { licenseId: issued.licenseId, created: issued.created });
    expect(await status('licenses', issued.licenseId)).toBe('revoked');
    const again = await issue();
    expect(again).toMatchObject({ created: true, status: 'active' });
    expect(again.licenseId).not.toBe(issued.licenseId);
  });

  it('license.returnToPartner gives the seats a call took back to the pool; the license is taken up again by the next allocation', async () => {
    const partner = await h.fixtures.partner(tenant.id, { seatsTotal: 10 });
    const customer = await h.fixtures.customer(tenant.id, { partnerId: partner.id });
    const seatsUsed = async () =>
      (
        await h.orm.em
          .fork()
          .getConnection()
          .execute<{ seats_used: number }[]>('select seats_used from partners where id = ?', [partner.id])
      )[0]?.seats_used;
    const allocate = (licenseCount: number) =>
      call<{ licenseId: string; seatsAllocated: number }>('license', 'allocateFromPartner', {
        partnerId: partner.id,
        customerId: customer.id,
        licenseCount,
      });

    const first = await allocate(3);
    const more = await allocate(5);
    expect([first.seatsAllocated, more.seatsAllocated, await seatsUsed()]).toEqual([3, 2, 5]);

    // The undo of the second call returns its 2 seats only; the first call's 3 stay held.
    expect(await call('license', 'returnToPartner', { licenseId: more.licenseId, seats: more.seatsAllocated })).toMatchObject({
      seatsReturned: 2,
      seats: 3,
      status: 'active',
    });
    expect(await seatsUsed()).toBe(3);
    expect(await call('license', 'returnToPartner', { licenseId: first.licenseId, seats: first.seatsAllocated })).toMatchObject({
      seatsReturned: 3,
      status: 'revoked',
    });
    expect(await seatsUsed()).toBe(0);
    expect(await call('license', 'returnToPartner', { licenseId: first.licenseId, seats: first.seatsAllocated })).toMatchObject({
      seatsReturned: 0,
      status: 'revoked',
    });
    expect(await seatsUsed()).toBe(0);

    const retaken = await allocate(3);
    expect(retaken).toMatchObject({ licenseId: first.licenseId, seatsAllocated: 3, seats: 3, status: 'active' });
    expect(await seatsUsed()).toBe(3);
  });

  it('partner.voidCommission voids an accrued commission; recording it again accrues it again', async () => {
    const partner = await h.fixtures.partner(tenant.id);
    const customer = await h.fixtures.customer(tenant.id, { partnerId: partner.id });
    await call('license', 'allocateFromPartner', { partnerId: partner.id, customerId: customer.id, licenseCount: 2 });
    const record = () =>
      call<{ commissionId: string; status: string }>('partner', 'recordCommission', {
        partnerId: partner.id,
        customerId: customer.id,
        commissionType: 'new_customer',
      });
    const recorded = await record();
    expect(await call('partner', 'voidCommission', { commissionId: recorded.commissionId })).toMatchObject({ status: 'void' });
    expect(await record()).toMatchObject({ commissionId: recorded.commissionId, status: 'accrued' });
  });

  it('sales.cancelOrder cancels an order awaiting payment, and createOrderFromQuote reopens it', async () => {
    const customer = await h.fixtures.customer(tenant.id);
    const quoteId = await acceptedQuote(customer.id);
    const order = await call<{ orderId: string }>('sales', 'createOrderFromQuote', { quoteId, tenantId: tenant.id });
    expect(await call('sales', 'cancelOrder', { orderId: order.orderId })).toMatchObject({ status: 'cancelled' });
    expect(await call('sales', 'cancelOrder', { orderId: order.orderId })).toMatchObject({ status: 'cancelled' });
    expect(await call('sales', 'createOrderFromQuote', { quoteId, tenantId: tenant.id })).toMatchObject({
      orderId: order.orderId,
      status: 'pending_payment',
    });
  });

  it('crm.withdrawQuote expires a sent quote and leaves an accepted one standing', async () => {
    const customer = await h.fixtures.customer(tenant.id);
    const sent = await h.fixtures.quote(tenant.id, customer.id, { status: 'sent' });
    const accepted = await acceptedQuote(customer.id);
    expect(await call('crm', 'withdrawQuote', { quoteId: sent })).toMatchObject({ status: 'expired' });
    expect(await call('crm', 'withdrawQuote', { quoteId: accepted })).toMatchObject({ status: 'accepted' });
  });
});
