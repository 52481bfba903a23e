import type { Customer, Tenant } from '../../../../src/entities/index.js';
import type { CommercialHarness } from '../../../helpers/commercial-fixtures.js';
import { startBillingSuite } from './billing-suite.js';

/** Payments: charging an order's open balance through the ledger provider. */
describe('billing service', () => {
  let h: CommercialHarness;
  let tenant: Tenant;
  let otherTenant: Tenant;

  beforeAll(async () => {
    ({ h, tenant, otherTenant } = await startBillingSuite());
  });
  afterAll(() => h.close());

  /** An accepted quote turned into an order, as quote_accepted_to_order does it. */
  async function pendingOrder(customer: Customer, lines?: { description: string; quantity: number; unitPriceAmount: number }[]) {
    const quoteId = await h.fixtures.quote(tenant.id, customer.id, lines ? { lines } : {});
    await h.call(tenant.id, 'crm', 'acceptQuote', { quoteId, acceptedBy: 'buyer' });
    return h.call<{ orderId: string; totalAmount: number }>(tenant.id, 'sales', 'createOrderFromQuote', { quoteId, tenantId: tenant.id });
  }

  describe('processPayment', () => {
    it("charges the order's open balance through the ledger provider and marks the order paid", async () => {
      const customer = await h.fixtures.customer(tenant.id);
      const order = await pendingOrder(customer);
      const payment = await h.call(
        tenant.id,
        'billing',
        'processPayment',
        { orderId: order.orderId, amount: 149_100, paymentMethod: 'card' },
        { key: 'exec-6:pay' },
      );

      expect(payment).toEqual({
        paymentId: expect.any(String),
        orderId: order.orderId,
        orderStatus: 'paid',
        status: 'succeeded',
        amount: 149_100,
        currency: 'USD',
        paymentMethod: 'card',
        provider: 'ledger',
        providerReference: expect.stringMatching(/^ldg_[0-9A-Z]{20}$/),
        paidAt: expect.any(String),
      });
      expect(await h.count('orders', `id = ? and status = 'paid' and amount_paid = 149100 and paid_at is not null`, [order.orderId])).toBe(
        1,
      );
      expect(
        await h.count('payments', `id = ? and order_id = ? and customer_id = ? and idempotency_key = 'billing.processPayment:exec-6:pay'`, [
          payment.paymentId,
          order.orderId,
          customer.id,
        ]),
      ).toBe(1);
      expect(
        await h.count(
          'payment_ledger_entries',
          `reference = ? and amount = 149100 and idempotency_key = 'billing.processPayment:exec-6:pay'`,
          [payment.providerReference],
        ),
      ).toBe(1);
    });

    it('returns the payment of a paid order paid again with its amount; refuses any other amount', async () => {
      const customer = await h.fixtures.customer(tenant.id);
      const order = await pendingOrder(customer);
      const first = await h.call(tenant.id, 'billing', 'processPayment', {
        orderId: order.orderId,
        amount: 149_100,
        paymentMethod: 'card',
      });
      expect(
        await h.call(tenant.id, 'billing', 'processPayment', { orderId: order.orderId, amount: 149_100, paymentMethod: 'card' }),
      ).toEqual(first);
      await expect(
        h.call(tenant.id, 'billing', 'processPayment', { orderId: order.orderId, amount: 1, paymentMethod: 'card' }),
      ).rejects.toMatchObject({ code: 'INVALID_STATE' });
      expect(await h.count('payments', 'order_id = ?', [order.orderId])).toBe(1);
      expect(await h.count('payment_ledger_entries', 'reference = ?', [first.providerReference])).toBe(1);
    });

    it('charges an order once when payments race', async () => {
      const customer = await h.fixtures.customer(tenant.id);
      const order = await pendingOrder(customer);
      const payments = await Promise.all(
        Array.from({ length: 4 }, () =>
          h.call(tenant.id, 'billing', 'processPayment', { orderId: order.orderId, amount: 149_100, paymentMethod: 'bank_transfer' }),
        ),
      );
      expect(new Set(payments.map((payment) => payment.paymentId)).size).toBe(1);
      expect(await h.count('payments', 'order_id = ?', [order.orderId])).toBe(1);
      expect(await h.count('payment_ledger_entries', 'tenant_id = ? and reference = ?', [tenant.id, payments[0]?.providerReference])).toBe(
        1,
      );
    });

    it('changes nothing when called again with the same idempotency key', async () => {
      const customer = await h.fixtures.customer(tenant.id);
      const order = await pendingOrder(customer);
      const params = { orderId: order.orderId, amount: 149_100, paymentMethod: 'card' };
      const first = await h.call(tenant.id, 'billing', 'processPayment', params, { key: 'exec-7:pay' });
      const before = await h.fingerprint();
      expect(await h.call(tenant.id, 'billing', 'processPayment', params, { key: 'exec-7:pay' })).toEqual(first);
      expect(await h.fingerprint()).toBe(before);
    });

    it('declines deterministically, not retryably, and leaves the order unpaid', async () => {
      const customer = await h.fixtures.customer(tenant.id);
      const order = await pendingOrder(customer);
      const big = await pendingOrder(customer, [{ description: 'Enterprise rollout', quantity: 1, unitPriceAmount: 250_000 }]);
      const before = await h.fingerprint();

      await expect(
        h.call(tenant.id, 'billing', 'processPayment', { orderId: order.orderId, amount: 149_100, paymentMethod: 'declined_card' }),
      ).rejects.toMatchObject({
        code: 'PAYMENT_DECLINED',
        retryable: false,
        details: { declineCode: 'card_declined' },
      });
      // Over the card limit of this harness (2 000.00), accepted by bank transfer.
      await expect(
        h.call(tenant.id, 'billing', 'processPayment', { orderId: big.orderId, amount: 250_000, paymentMethod: 'card' }),
      ).rejects.toMatchObject({
        code: 'PAYMENT_DECLINED',
        details: { declineCode: 'amount_over_limit' },
      });
      expect(await h.fingerprint()).toBe(before);
      await expect(
        h.call(tenant.id, 'billing', 'processPayment', { orderId: big.orderId, amount: 250_000, paymentMethod: 'bank_transfer' }),
      ).resolves.toMatchObject({ status: 'succeeded' });
    });

    it('refuses an amount other than the open balance, unknown methods and orders, cancelled orders', async () => {
      const customer = await h.fixtures.customer(tenant.id);
      const order = await pendingOrder(customer);
      const pay = (params: Record<string, unknown>) =>
        h.call(tenant.id, 'billing', 'processPayment', { orderId: order.orderId, amount: 149_100, paymentMethod: 'card', ...params });

      await expect(pay({ amount: 149_000 })).rejects.toMatchObject({
        code: 'VALIDATION',
        details: { openBalance: 149_100, currency: 'USD' },
      });
      await expect(pay({ amount: 1491.0 * 100 + 0.5 })).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(pay({ amount: -5 })).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(pay({ paymentMethod: 'bitcoin' })).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(pay({ orderId: '5a0c6c8e-2f4b-4a7d-9e1f-3b2a1c0d9e8f' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(
        h.call(otherTenant.id, 'billing', 'processPayment', { orderId: order.orderId, amount: 149_100, paymentMethod: 'card' }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await h.fixtures.write((em) => em.getConnection().execute(`update orders set status = 'cancelled' where id = ?`, [order.orderId]));
      await expect(pay({})).rejects.toMatchObject({ code: 'INVALID_STATE' });
      expect(await h.count('payments', 'order_id = ?', [order.orderId])).toBe(0);
    });
  });
});
