import type { Customer, Tenant } from '../../../../src/entities/index.js';
import { Invoice } from '../../../../src/entities/domain/commercial.js';
import type { Plan } from '../../../../src/entities/domain/plan.entity.js';
import { createLedgerPaymentProvider, DEFAULT_LEDGER_LIMITS } from '../../../../src/services/billing/ledger-payment-provider.js';
import { addDays, addMonths } from '../../../../src/services/shared/periods.js';
import { startCommercialHarness, type CommercialHarness } from '../../../helpers/commercial-fixtures.js';

describe('billing service', () => {
  let h: CommercialHarness;
  let tenant: Tenant;
  let otherTenant: Tenant;
  let monthly: Plan;
  let annual: Plan;

  beforeAll(async () => {
    h = await startCommercialHarness({
      paymentProvider: createLedgerPaymentProvider({ limits: { ...DEFAULT_LEDGER_LIMITS, card: 200_000 } }),
    });
    tenant = await h.fixtures.tenant();
    otherTenant = await h.fixtures.tenant();
    monthly = await h.fixtures.plan(tenant.id, { code: 'pro-monthly', billingCycle: 'monthly', priceAmount: 9_900 });
    annual = await h.fixtures.plan(tenant.id, { code: 'pro-annual', billingCycle: 'annual', priceAmount: 99_000 });
  });
  afterAll(() => h.close());

  /** An accepted quote turned into an order, as quote_accepted_to_order does it. */
  async function pendingOrder(customer: Customer, lines?: { description: string; quantity: number; unitPriceAmount: number }[]) {
    const quoteId = await h.fixtures.quote(tenant.id, customer.id, lines ? { lines } : {});
    await h.call(tenant.id, 'crm', 'acceptQuote', { quoteId, acceptedBy: 'buyer' });
    return h.call<{ orderId: string; totalAmount: number }>(tenant.id, 'sales', 'createOrderFromQuote', { quoteId, tenantId: tenant.id });
  }

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

  describe('checkRenewalEligibility', () => {
    it('is eligible while active or in grace, not when cancelled, past grace or with an overdue invoice', async () => {
      const start = new Date('2026-03-01T00:00:00.000Z');
      const end = new Date('2026-04-01T00:00:00.000Z');
      const check = async (status: 'active' | 'cancelled', now: Date, overdue = false) => {
        const customer = await h.fixtures.customer(tenant.id);
        const subscription = await h.fixtures.subscription(tenant.id, customer.id, monthly.id, { start, end, status });
        if (overdue) {
          await h.fixtures.write((em) =>
            em.create(Invoice, {
              tenant: tenant.id,
              number: `INV-OVERDUE-${customer.id}`,
              customer: customer.id,
              amount: 500,
              currency: 'USD',
              issuedAt: start,
              dueAt: addDays(now, -1),
            }),
          );
        }
        return h.call(
          tenant.id,
          'billing',
          'checkRenewalEligibility',
          { customerId: customer.id, subscriptionId: subscription.id },
          { now },
        );
      };

      expect(await check('active', new Date('2026-03-20T00:00:00.000Z'))).toEqual({
        eligible: true,
        reason: 'active',
        renewalPrice: 9_900,
        currency: 'USD',
        renewalTermMonths: 1,
        currentPeriodEnd: end.toISOString(),
        graceEndsAt: '2026-04-15T00:00:00.000Z',
      });
      expect(await check('active', new Date('2026-04-10T00:00:00.000Z'))).toMatchObject({ eligible: true, reason: 'grace_period' });
      expect(await check('active', new Date('2026-04-16T00:00:00.000Z'))).toMatchObject({ eligible: false, reason: 'expired' });
      expect(await check('cancelled', new Date('2026-03-20T00:00:00.000Z'))).toMatchObject({ eligible: false, reason: 'cancelled' });
      expect(await check('active', new Date('2026-03-20T00:00:00.000Z'), true)).toMatchObject({
        eligible: false,
        reason: 'overdue_invoice',
      });
    });

    it("is a read: it records no call, and another customer's subscription is NOT_FOUND", async () => {
      const customer = await h.fixtures.customer(tenant.id);
      const stranger = await h.fixtures.customer(tenant.id);
      const subscription = await h.fixtures.subscription(tenant.id, customer.id, monthly.id);
      const before = await h.fingerprint();
      await h.call(tenant.id, 'billing', 'checkRenewalEligibility', { customerId: customer.id, subscriptionId: subscription.id });
      expect(await h.fingerprint()).toBe(before);
      await expect(
        h.call(tenant.id, 'billing', 'checkRenewalEligibility', { customerId: stranger.id, subscriptionId: subscription.id }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('the renewal: createRenewalQuote, processRenewalPayment, extendSubscription', () => {
    async function renewable(overrides: { paymentMethod?: string; plan?: Plan } = {}) {
      const customer = await h.fixtures.customer(tenant.id);
      const start = new Date();
      const plan = overrides.plan ?? monthly;
      const subscription = await h.fixtures.subscription(tenant.id, customer.id, plan.id, {
        start,
        end: addMonths(start, plan.billingCycle === 'annual' ? 12 : 1),
        paymentMethod: overrides.paymentMethod ?? 'card',
      });
      return { customer, subscription };
    }

    it('quotes the plan price × the term, valid 30 days, and returns the open quote on a repeat', async () => {
      const { customer, subscription } = await renewable();
      const now = new Date();
      const quote = await h.call(
        tenant.id,
        'crm',
        'createRenewalQuote',
        { customerId: customer.id, subscriptionId: subscription.id, renewalTerm: 'quarterly' },
        { now },
      );
      expect(quote).toEqual({
        quoteId: expect.any(String),
        quoteNumber: expect.stringMatching(/^Q-/),
        status: 'sent',
        customerId: customer.id,
        subscriptionId: subscription.id,
        termMonths: 3,
        renewalPeriodStart: subscription.currentPeriodEnd.toISOString(),
        renewalPeriodEnd: addMonths(subscription.currentPeriodEnd, 3).toISOString(),
        totalAmount: 29_700,
        currency: 'USD',
        validUntil: addDays(now, 30).toISOString(),
      });
      expect(
        await h.count('quotes', `id = ? and kind = 'renewal' and status = 'sent' and subscription_id = ? and total_amount = 29700`, [
          quote.quoteId,
          subscription.id,
        ]),
      ).toBe(1);
      expect(
        await h.count('quote_lines', `quote_id = ? and quantity = 3 and unit_price_amount = 9900 and amount = 29700`, [quote.quoteId]),
      ).toBe(1);

      const again = await h.call(tenant.id, 'crm', 'createRenewalQuote', {
        customer_id: customer.id,
        subscription_id: subscription.id,
        renewal_term: 3,
      });
      expect(again).toEqual(quote);
      const key = { key: 'exec-8:renewal_quote' };
      const yearly = await h.call(
        tenant.id,
        'crm',
        'createRenewalQuote',
        { customerId: customer.id, subscriptionId: subscription.id, renewalTerm: 'P1Y' },
        key,
      );
      expect(yearly).toMatchObject({ termMonths: 12, totalAmount: 118_800 });
      const before = await h.fingerprint();
      expect(
        await h.call(
          tenant.id,
          'crm',
          'createRenewalQuote',
          { customerId: customer.id, subscriptionId: subscription.id, renewalTerm: 'P1Y' },
          key,
        ),
      ).toEqual(yearly);
      expect(await h.fingerprint()).toBe(before);
    });

    it('refuses terms that are not whole billing cycles and subscriptions that cannot be renewed', async () => {
      const { customer, subscription } = await renewable({ plan: annual });
      const quote = (renewalTerm: unknown, subscriptionId = subscription.id) =>
        h.call(tenant.id, 'crm', 'createRenewalQuote', { customerId: customer.id, subscriptionId, renewalTerm });
      await expect(quote(6)).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(quote('30 days')).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(quote('fortnightly')).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(quote(0)).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(quote(undefined)).resolves.toMatchObject({ termMonths: 12, totalAmount: 99_000 });
      const cancelled = await h.fixtures.subscription(tenant.id, customer.id, monthly.id, { status: 'cancelled' });
      await expect(quote(1, cancelled.id)).rejects.toMatchObject({ code: 'INVALID_STATE', details: { reason: 'cancelled' } });
    });

    it('pays an accepted renewal quote once, then extends the subscription once by its term', async () => {
      const { customer, subscription } = await renewable();
      const quote = await h.call<{ quoteId: string }>(tenant.id, 'crm', 'createRenewalQuote', {
        customerId: customer.id,
        subscriptionId: subscription.id,
        renewalTerm: 1,
      });
      await expect(
        h.call(tenant.id, 'billing', 'processRenewalPayment', { customerId: customer.id, quoteId: quote.quoteId }),
      ).rejects.toMatchObject({ code: 'INVALID_STATE' });
      await h.call(tenant.id, 'crm', 'acceptQuote', { quoteId: quote.quoteId, acceptedBy: customer.email });

      const paid = await h.call(
        tenant.id,
        'billing',
        'processRenewalPayment',
        { customerId: customer.id, quoteId: quote.quoteId },
        { key: 'exec-9:pay_renewal' },
      );
      expect(paid).toEqual({
        paymentId: expect.any(String),
        invoiceId: expect.any(String),
        invoiceNumber: expect.stringMatching(/^INV-/),
        quoteId: quote.quoteId,
        subscriptionId: subscription.id,
        customerId: customer.id,
        status: 'succeeded',
        amount: 9_900,
        currency: 'USD',
        paymentMethod: 'card',
        provider: 'ledger',
        providerReference: expect.stringMatching(/^ldg_/),
        paidAt: expect.any(String),
      });
      expect(
        await h.count('invoices', `id = ? and quote_id = ? and status = 'paid' and amount = 9900`, [paid.invoiceId, quote.quoteId]),
      ).toBe(1);
      expect(await h.count('payments', `id = ? and invoice_id = ? and order_id is null`, [paid.paymentId, paid.invoiceId])).toBe(1);
      let before = await h.fingerprint();
      expect(
        await h.call(
          tenant.id,
          'billing',
          'processRenewalPayment',
          { customerId: customer.id, quoteId: quote.quoteId },
          { key: 'exec-9:pay_renewal' },
        ),
      ).toEqual(paid);
      expect(await h.fingerprint()).toBe(before);
      expect(await h.call(tenant.id, 'billing', 'processRenewalPayment', { customerId: customer.id, quoteId: quote.quoteId })).toEqual(
        paid,
      );
      expect(await h.count('payments', 'invoice_id = ?', [paid.invoiceId])).toBe(1);

      const extend = (extensionPeriod: unknown, key?: string) =>
        h.call(
          tenant.id,
          'billing',
          'extendSubscription',
          { subscriptionId: subscription.id, extensionPeriod, renewalQuoteId: quote.quoteId },
          { key },
        );
      await expect(extend(3)).rejects.toMatchObject({ code: 'VALIDATION' });
      const extended = await extend('monthly', 'exec-9:extend');
      expect(extended).toEqual({
        subscriptionId: subscription.id,
        status: 'active',
        previousPeriodEnd: subscription.currentPeriodEnd.toISOString(),
        currentPeriodEnd: addMonths(subscription.currentPeriodEnd, 1).toISOString(),
        eventId: expect.any(String),
        renewalQuoteId: quote.quoteId,
      });
      before = await h.fingerprint();
      expect(await extend('monthly', 'exec-9:extend')).toEqual(extended);
      expect(await h.fingerprint()).toBe(before);
      // A re-run of the workflow (a new key) does not grant the month twice.
      expect(await extend(1)).toEqual(extended);
      expect(
        await h.count('subscriptions', 'id = ? and current_period_end = ?', [subscription.id, addMonths(subscription.currentPeriodEnd, 1)]),
      ).toBe(1);
      expect(
        await h.count('subscription_events', `subscription_id = ? and type = 'extended' and quote_id = ?`, [
          subscription.id,
          quote.quoteId,
        ]),
      ).toBe(1);
    });

    it('refuses to pay quotes that are not renewals or not the customer’s, and leaves nothing behind a decline', async () => {
      const { customer, subscription } = await renewable({ paymentMethod: 'declined_card' });
      const quote = await h.call<{ quoteId: string }>(tenant.id, 'crm', 'createRenewalQuote', {
        customerId: customer.id,
        subscriptionId: subscription.id,
      });
      await h.call(tenant.id, 'crm', 'acceptQuote', { quoteId: quote.quoteId, acceptedBy: customer.email });
      const before = await h.fingerprint();
      await expect(
        h.call(tenant.id, 'billing', 'processRenewalPayment', { customerId: customer.id, quoteId: quote.quoteId }),
      ).rejects.toMatchObject({ code: 'PAYMENT_DECLINED', retryable: false });
      expect(await h.fingerprint()).toBe(before);
      await expect(
        h.call(tenant.id, 'billing', 'extendSubscription', {
          subscriptionId: subscription.id,
          extensionPeriod: 1,
          renewalQuoteId: quote.quoteId,
        }),
      ).rejects.toMatchObject({ code: 'INVALID_STATE' });

      const newBusiness = await h.fixtures.quote(tenant.id, customer.id);
      await h.call(tenant.id, 'crm', 'acceptQuote', { quoteId: newBusiness, acceptedBy: customer.email });
      await expect(
        h.call(tenant.id, 'billing', 'processRenewalPayment', { customerId: customer.id, quoteId: newBusiness }),
      ).rejects.toMatchObject({ code: 'INVALID_STATE' });
      const stranger = await h.fixtures.customer(tenant.id);
      await expect(
        h.call(tenant.id, 'billing', 'processRenewalPayment', { customerId: stranger.id, quoteId: quote.quoteId }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('extends without a quote by any period, from the current end, and revives an expired subscription', async () => {
      const customer = await h.fixtures.customer(tenant.id);
      const end = new Date('2026-01-31T00:00:00.000Z');
      const subscription = await h.fixtures.subscription(tenant.id, customer.id, monthly.id, {
        start: new Date('2025-12-31T00:00:00.000Z'),
        end,
        status: 'expired',
      });
      const now = new Date('2026-02-10T00:00:00.000Z');
      const extended = await h.call(
        tenant.id,
        'billing',
        'extendSubscription',
        { subscriptionId: subscription.id, extensionPeriod: 'P1M15D' },
        { now },
      );
      expect(extended).toMatchObject({
        status: 'active',
        previousPeriodEnd: end.toISOString(),
        currentPeriodEnd: '2026-03-15T00:00:00.000Z',
        renewalQuoteId: null,
      });
      expect(
        await h.count('subscription_events', `id = ? and type = 'extended' and period_end_before = ? and (data->>'days')::int = 15`, [
          extended.eventId,
          end,
        ]),
      ).toBe(1);

      await expect(
        h.call(tenant.id, 'billing', 'extendSubscription', { subscriptionId: subscription.id, extensionPeriod: '2 fortnights' }),
      ).rejects.toMatchObject({ code: 'VALIDATION' });
      const cancelled = await h.fixtures.subscription(tenant.id, customer.id, annual.id, { status: 'cancelled' });
      await expect(
        h.call(tenant.id, 'billing', 'extendSubscription', { subscriptionId: cancelled.id, extensionPeriod: 1 }),
      ).rejects.toMatchObject({ code: 'INVALID_STATE' });
      await expect(
        h.call(otherTenant.id, 'billing', 'extendSubscription', { subscriptionId: subscription.id, extensionPeriod: 1 }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
});
