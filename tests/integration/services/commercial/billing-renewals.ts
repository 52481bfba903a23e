import type { Tenant } from '../../../../src/entities/index.js';
import { Invoice } from '../../../../src/entities/domain/commercial.js';
import type { Plan } from '../../../../src/entities/domain/plan.entity.js';
import { addDays, addMonths } from '../../../../src/services/shared/periods.js';
import type { CommercialHarness } from '../../../helpers/commercial-fixtures.js';
import { startBillingSuite } from './billing-suite.js';

/** Renewals: who is eligible, the renewal quote, its payment and the extension of the subscription. */
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
