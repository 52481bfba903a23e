import type { Customer, Tenant } from '../../../../src/entities/index.js';
import { addDays } from '../../../../src/services/shared/periods.js';
import { startCommercialHarness, type CommercialHarness } from '../../../helpers/commercial-fixtures.js';

describe('crm.acceptQuote and sales.createOrderFromQuote', () => {
  let h: CommercialHarness;
  let tenant: Tenant;
  let otherTenant: Tenant;
  let customer: Customer;

  beforeAll(async () => {
    h = await startCommercialHarness();
    tenant = await h.fixtures.tenant();
    otherTenant = await h.fixtures.tenant();
    customer = await h.fixtures.customer(tenant.id);
  });
  afterAll(() => h.close());

  const accept = (quoteId: string, acceptedBy = 'user:42', key?: string) =>
    h.call(tenant.id, 'crm', 'acceptQuote', { quoteId, acceptedBy }, { key });
  const createOrder = (quoteId: string, key?: string) =>
    h.call(tenant.id, 'sales', 'createOrderFromQuote', { quoteId, tenantId: tenant.id }, { key });

  describe('acceptQuote', () => {
    it('accepts a sent quote and records quote.accepted in the same transaction', async () => {
      const lead = await h.fixtures.lead(tenant.id);
      const quoteId = await h.fixtures.quote(tenant.id, customer.id, { leadId: lead.id });
      const result = await accept(quoteId, 'sam@example.com');

      expect(result).toEqual({
        quoteId,
        quoteNumber: expect.stringMatching(/^Q-\d{8}-[0-9A-Z]{6}$/),
        status: 'accepted',
        kind: 'new',
        customerId: customer.id,
        customerEmail: customer.email,
        leadId: lead.id,
        subscriptionId: null,
        totalAmount: 149_100,
        currency: 'USD',
        acceptedAt: expect.any(String),
        acceptedBy: 'sam@example.com',
      });
      expect(
        await h.count('quotes', `id = ? and status = 'accepted' and accepted_by = 'sam@example.com' and accepted_at is not null`, [
          quoteId,
        ]),
      ).toBe(1);
      const events = await h.orm.em
        .fork()
        .getConnection()
        .execute<{ payload: Record<string, unknown>; tenant_id: string }[]>(
          `select payload, tenant_id from domain_events where name = 'quote.accepted' and payload->>'quoteId' = ?`,
          [quoteId],
        );
      expect(events).toHaveLength(1);
      expect(events[0]).toEqual({ tenant_id: tenant.id, payload: result });
    });

    it('returns the first acceptance for an accepted quote and records no second event', async () => {
      const quoteId = await h.fixtures.quote(tenant.id, customer.id);
      const first = await accept(quoteId, 'first@example.com');
      const again = await accept(quoteId, 'second@example.com');
      expect(again).toEqual(first);
      expect(await h.count('domain_events', `payload->>'quoteId' = ?`, [quoteId])).toBe(1);
    });

    it('changes nothing when called again with the same idempotency key', async () => {
      const quoteId = await h.fixtures.quote(tenant.id, customer.id);
      const first = await accept(quoteId, 'user:1', 'exec-3:accept_quote');
      const before = await h.fingerprint();
      expect(await accept(quoteId, 'user:1', 'exec-3:accept_quote')).toEqual(first);
      expect(await h.fingerprint()).toBe(before);
    });

    it('records one event when acceptances race', async () => {
      const quoteId = await h.fixtures.quote(tenant.id, customer.id);
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => accept(quoteId, `racer-${i}`)));
      expect(new Set(results.map((result) => result.acceptedBy)).size).toBe(1);
      expect(await h.count('domain_events', `payload->>'quoteId' = ?`, [quoteId])).toBe(1);
    });

    it('refuses expired, draft and rejected quotes, unknown or foreign ones, and an empty acceptor', async () => {
      const pastValidity = await h.fixtures.quote(tenant.id, customer.id, { validUntil: addDays(new Date(), -1) });
      const expired = await h.fixtures.quote(tenant.id, customer.id, { status: 'expired' });
      const draft = await h.fixtures.quote(tenant.id, customer.id, { status: 'draft' });
      const rejected = await h.fixtures.quote(tenant.id, customer.id, { status: 'rejected' });
      const foreignCustomer = await h.fixtures.customer(otherTenant.id);
      const foreign = await h.fixtures.quote(otherTenant.id, foreignCustomer.id);

      for (const quoteId of [pastValidity, expired, draft, rejected])
        await expect(accept(quoteId)).rejects.toMatchObject({ code: 'INVALID_STATE' });
      await expect(accept(foreign)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(accept('7d4f2a3e-9b8c-4d1e-8f6a-5b4c3d2e1f0a')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(accept(draft, '  ')).rejects.toMatchObject({ code: 'VALIDATION' });
      expect(
        await h.count('quotes', `id in (?, ?, ?, ?, ?) and status = 'accepted'`, [pastValidity, expired, draft, rejected, foreign]),
      ).toBe(0);
      expect(
        await h.count('domain_events', `payload->>'quoteId' in (?, ?, ?, ?, ?)`, [pastValidity, expired, draft, rejected, foreign]),
      ).toBe(0);
    });
  });

  describe('createOrderFromQuote', () => {
    it('turns an accepted quote into an order with its lines and total, linked to the quote', async () => {
      const quoteId = await h.fixtures.quote(tenant.id, customer.id);
      await accept(quoteId);
      const order = await createOrder(quoteId);

      expect(order).toEqual({
        orderId: expect.any(String),
        orderNumber: expect.stringMatching(/^O-\d{8}-[0-9A-Z]{6}$/),
        quoteId,
        customerId: customer.id,
        customerEmail: customer.email,
        status: 'pending_payment',
        totalAmount: 149_100,
        openBalance: 149_100,
        currency: 'USD',
        lines: [
          { description: 'Pro plan, 12 months', productCode: 'pro-annual', quantity: 1, unitPriceAmount: 99_000, amount: 99_000 },
          { description: 'Onboarding workshop', productCode: 'onboarding', quantity: 2, unitPriceAmount: 25_050, amount: 50_100 },
        ],
      });
      expect(
        await h.count('orders', `id = ? and quote_id = ? and tenant_id = ? and total_amount = 149100 and currency = 'USD'`, [
          order.orderId,
          quoteId,
          tenant.id,
        ]),
      ).toBe(1);
      expect(await h.count('order_lines', 'order_id = ? and tenant_id = ?', [order.orderId, tenant.id])).toBe(2);
    });

    it('makes one order per quote: a second call returns it', async () => {
      const quoteId = await h.fixtures.quote(tenant.id, customer.id);
      await accept(quoteId);
      const first = await createOrder(quoteId);
      expect(await createOrder(quoteId)).toEqual(first);
      expect(await h.count('orders', 'quote_id = ?', [quoteId])).toBe(1);
    });

    it('makes one order per quote when calls race', async () => {
      const quoteId = await h.fixtures.quote(tenant.id, customer.id);
      await accept(quoteId);
      const orders = await Promise.all(Array.from({ length: 8 }, () => createOrder(quoteId)));
      expect(new Set(orders.map((order) => order.orderId)).size).toBe(1);
      expect(await h.count('orders', 'quote_id = ?', [quoteId])).toBe(1);
      expect(await h.count('order_lines', 'order_id = ?', [orders[0]?.orderId])).toBe(2);
    });

    it('changes nothing when called again with the same idempotency key', async () => {
      const quoteId = await h.fixtures.quote(tenant.id, customer.id);
      await accept(quoteId);
      const first = await createOrder(quoteId, 'exec-4:create_order');
      const before = await h.fingerprint();
      expect(await createOrder(quoteId, 'exec-4:create_order')).toEqual(first);
      expect(await h.fingerprint()).toBe(before);
    });

    it('settles a free order as it is made', async () => {
      const quoteId = await h.fixtures.quote(tenant.id, customer.id, {
        lines: [{ description: 'Pilot', quantity: 1, unitPriceAmount: 0 }],
      });
      await accept(quoteId);
      const order = await createOrder(quoteId);
      expect(order).toMatchObject({ status: 'paid', totalAmount: 0, openBalance: 0 });
    });

    it('refuses quotes not accepted, renewal quotes, foreign tenants and unknown quotes', async () => {
      const sent = await h.fixtures.quote(tenant.id, customer.id);
      const plan = await h.fixtures.plan(tenant.id);
      const subscription = await h.fixtures.subscription(tenant.id, customer.id, plan.id);
      const renewal = await h.fixtures.quote(tenant.id, customer.id, {
        kind: 'renewal',
        subscriptionId: subscription.id,
        termMonths: 1,
        renewalPeriodEnd: subscription.currentPeriodEnd,
      });
      await accept(renewal);

      await expect(createOrder(sent)).rejects.toMatchObject({ code: 'INVALID_STATE' });
      await expect(createOrder(renewal)).rejects.toMatchObject({ code: 'INVALID_STATE' });
      await expect(h.call(tenant.id, 'sales', 'createOrderFromQuote', { quoteId: sent, tenantId: otherTenant.id })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(
        h.call(otherTenant.id, 'sales', 'createOrderFromQuote', { quoteId: sent, tenantId: otherTenant.id }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(createOrder('not-a-uuid')).rejects.toMatchObject({ code: 'VALIDATION' });
      expect(await h.count('orders', 'quote_id in (?, ?)', [sent, renewal])).toBe(0);
    });
  });
});
