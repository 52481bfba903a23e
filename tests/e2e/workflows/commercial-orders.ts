import { Subscription } from '../../../src/entities/domain/subscription.entity.js';
import {
  DomainAcceptQuoteDocument,
  DomainCatalogDocument,
  DomainCommercialRecordsDocument,
  DomainCreateQuoteDocument,
  DomainOutboxEmailsDocument,
  DomainQuotesDocument,
  DomainSendQuoteDocument,
} from '../../generated/graphql.js';
import { eventually } from '../../helpers/eventually.js';
import {
  customerByEmail,
  dayFromToday,
  parkedForAcceptance,
  step,
  stepStatuses,
  startWorkflowHarness,
  type WorkflowHarness,
} from './harness.js';

const addMonthUtc = (iso: string): string => {
  const date = new Date(iso);
  date.setUTCMonth(date.getUTCMonth() + 1);
  return date.toISOString();
};

/** Orders and renewals: an accepted quote to a paid order, and a subscription renewed. */
describe('the commercial built-in workflows end to end, from the demo data of a fresh start', () => {
  let h: WorkflowHarness;

  beforeAll(async () => {
    h = await startWorkflowHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  describe('quote_accepted_to_order', () => {
    it('starts when the demo quote is accepted through GraphQL and ends with a paid order, a deployment slot, a confirmation and sales notified', async () => {
      const [quote] = (await h.gql(DomainQuotesDocument, { status: 'SENT' })).quotes.filter(
        (candidate) => candidate.number === 'Q-DEMO-0001',
      );
      expect(quote).toMatchObject({ kind: 'NEW', totalAmount: 149_000, currency: 'USD' });
      await h.gql(DomainAcceptQuoteDocument, { id: quote?.id ?? '' });

      const { started } = await h.dispatched('quote.accepted', (payload) => payload['quoteId'] === quote?.id);
      expect(Object.keys(started)).toEqual(['quote_accepted_to_order']);
      const run = await h.waitFor(started['quote_accepted_to_order'] ?? '');
      expect(run.error).toBeNull();
      expect(run.status).toBe('COMPLETED');
      expect(run.steps.map((each) => [each.key, each.status])).toEqual(
        [
          'defaults',
          'accept_quote',
          'create_order',
          'process_payment',
          'schedule_deployment',
          'order_summary',
          'send_order_confirmation',
          'notify_sales_team',
        ].map((key) => [key, 'COMPLETED']),
      );
      expect(run.context).toEqual({ quote_id: quote?.id });
      expect(step(run, 'accept_quote').output).toMatchObject({ acceptedBy: 'admin@switchyard.local' });

      const records = await h.gql(DomainCommercialRecordsDocument, { customerId: quote?.customerId ?? '' });
      const order = records.orders.find((candidate) => candidate.quoteId === quote?.id);
      expect(order).toMatchObject({ status: 'paid', totalAmount: 149_000, amountPaid: 149_000, openBalance: 0, currency: 'USD' });
      expect(order?.lines.map((line) => [line.description, line.quantity, line.amount])).toEqual([
        ['Pro (annual)', 1, 99_000],
        ['Onboarding workshop', 1, 50_000],
      ]);
      expect(records.payments.filter((payment) => payment.orderId === order?.id)).toEqual([
        expect.objectContaining({ amount: 149_000, currency: 'USD', method: 'card', provider: 'ledger', status: 'succeeded' }),
      ]);
      expect(records.deployments.find((deployment) => deployment.orderId === order?.id)).toMatchObject({
        status: 'SCHEDULED',
        priority: 'normal',
        requestedFor: dayFromToday(1),
      });

      const [confirmation] = (await h.gql(DomainOutboxEmailsDocument, { template: 'order_confirmation', to: 'ops@globex.example' }))
        .outboxEmails;
      expect(confirmation?.subject).toBe(`Order ${order?.number} confirmed`);
      expect(confirmation?.text).toContain('Total: 1,490.00 USD');
      const notified = await h.query<{ team: string; subject: string }>('select team, subject from notifications where tenant_id = ?', [
        h.tenantId,
      ]);
      expect(notified).toEqual([{ team: 'sales', subject: `Order ${order?.number} from quote Q-DEMO-0001` }]);
    });

    it('accepts a sent quote itself when started through the API, and its own acceptance starts no second run', async () => {
      const globex = await customerByEmail(h, 'ops@globex.example');
      const created = await h.gql(DomainCreateQuoteDocument, {
        input: { customerId: globex?.id ?? '', lines: [{ planId: 'basic-annual', quantity: 2 }] },
      });
      const id = created.createQuote.id;
      await h.gql(DomainSendQuoteDocument, { id });

      const run = await h.waitFor(
        await h.run('quote_accepted_to_order', { quote_id: id, payment_method: 'bank_transfer', deployment_priority: 'high' }),
      );
      expect(run.status).toBe('COMPLETED');
      expect(step(run, 'accept_quote').output).toMatchObject({ quoteId: id, acceptedBy: 'workflow:quote_accepted_to_order' });
      const { started } = await h.dispatched('quote.accepted', (payload) => payload['quoteId'] === id);
      expect(started).toEqual({});

      const records = await h.gql(DomainCommercialRecordsDocument, { customerId: globex?.id ?? '' });
      const order = records.orders.find((candidate) => candidate.quoteId === id);
      expect(order).toMatchObject({ status: 'paid', totalAmount: 58_000 });
      expect(records.payments.filter((payment) => payment.orderId === order?.id)).toEqual([
        expect.objectContaining({ amount: 58_000, method: 'bank_transfer' }),
      ]);
      expect(records.deployments.find((deployment) => deployment.orderId === order?.id)).toMatchObject({ priority: 'high' });
      const confirmations = (await h.gql(DomainOutboxEmailsDocument, { template: 'order_confirmation', to: 'ops@globex.example' }))
        .outboxEmails;
      expect(confirmations.filter((email) => email.subject === `Order ${order?.number} confirmed`)).toHaveLength(1);
    });
  });

  describe('customer_renewal_process', () => {
    it('sends a renewal quote, waits for its acceptance holding no worker, then charges, extends and confirms', async () => {
      const globex = await customerByEmail(h, 'ops@globex.example');
      const [subscription] = (await h.gql(DomainCommercialRecordsDocument, { customerId: globex?.id ?? '' })).subscriptions.filter(
        (each) => each.planCode === 'pro-monthly',
      );
      expect(subscription).toBeDefined();
      const executionId = await h.run('customer_renewal_process', {
        customer_id: globex?.id ?? '',
        subscription_id: subscription?.id ?? '',
      });

      const waiting = await h.waitFor(executionId, parkedForAcceptance);
      expect(stepStatuses(waiting)).toMatchObject({
        check_eligibility: 'COMPLETED',
        eligible: 'COMPLETED',
        create_renewal_quote: 'COMPLETED',
        send_renewal_quote: 'COMPLETED',
      });
      const renewal = step(waiting, 'create_renewal_quote').output as {
        quoteId: string;
        quoteNumber: string;
        totalAmount: number;
        termMonths: number;
      };
      expect(renewal).toMatchObject({ totalAmount: 9_900, termMonths: 1 });
      const [quote] = (await h.gql(DomainQuotesDocument, { customerId: globex?.id ?? '' })).quotes.filter(
        (each) => each.id === renewal.quoteId,
      );
      expect(quote).toMatchObject({ kind: 'RENEWAL', status: 'SENT', subscriptionId: subscription?.id, termMonths: 1 });
      const [offer] = (await h.gql(DomainOutboxEmailsDocument, { template: 'subscription_renewal', to: 'ops@globex.example' }))
        .outboxEmails;
      expect(offer?.text).toContain(`your renewal quote ${renewal.quoteNumber} is ready: 99.00 USD.`);

      // Nothing moves it until the quote is accepted: every event recorded so far (the quote's sending among
      // them) delivered to the triggers and waiting steps, it still waits.
      await eventually(
        'every domain event so far dispatched',
        () => h.query<{ pending: number }>('select count(*)::int as pending from domain_events where dispatched_at is null'),
        ([row]) => row?.pending === 0,
        15_000,
      );
      expect((await h.execution(executionId)).status).toBe('WAITING');

      await h.gql(DomainAcceptQuoteDocument, { id: renewal.quoteId });
      const { started } = await h.dispatched('quote.accepted', (payload) => payload['quoteId'] === renewal.quoteId);
      // A renewal quote is paid by this run, not turned into an order.
      expect(started).toEqual({});

      const run = await h.waitFor(executionId);
      expect(run.error).toBeNull();
      expect(run.status).toBe('COMPLETED');
      expect(stepStatuses(run)).toMatchObject({
        wait_for_acceptance: 'COMPLETED',
        quote_accepted: 'COMPLETED',
        process_renewal_payment: 'COMPLETED',
        extend_subscription: 'COMPLETED',
        send_renewal_confirmation: 'COMPLETED',
      });
      expect(step(run, 'wait_for_acceptance').output).toMatchObject({ event: { quoteId: renewal.quoteId, kind: 'renewal' } });

      const records = await h.gql(DomainCommercialRecordsDocument, { customerId: globex?.id ?? '' });
      const invoice = records.invoices.find((each) => each.quoteId === renewal.quoteId);
      expect(invoice).toMatchObject({ status: 'paid', amount: 9_900, currency: 'USD', subscriptionId: subscription?.id });
      expect(records.payments.filter((payment) => payment.invoiceId === invoice?.id)).toEqual([
        expect.objectContaining({ amount: 9_900, method: 'card', status: 'succeeded' }),
      ]);
      const extended = records.subscriptions.find((each) => each.id === subscription?.id);
      expect(extended?.currentPeriodEnd).toBe(addMonthUtc(subscription?.currentPeriodEnd ?? ''));
      expect(records.orders.filter((order) => order.quoteId === renewal.quoteId)).toEqual([]);

      const [confirmation] = (await h.gql(DomainOutboxEmailsDocument, { template: 'renewal_confirmation', to: 'ops@globex.example' }))
        .outboxEmails;
      expect(confirmation?.text).toContain(`your subscription now runs until ${extended?.currentPeriodEnd.slice(0, 10)}.`);
    });

    it('ends, completed, without a quote when the subscription is not eligible', async () => {
      const globex = await customerByEmail(h, 'ops@globex.example');
      const em = h.server.orm.em.fork();
      const plan = (await h.gql(DomainCatalogDocument, {})).plans.find((each) => each.code === 'basic-monthly');
      const cancelled = em.create(Subscription, {
        tenant: h.tenantId,
        customer: globex?.id ?? '',
        plan: plan?.id ?? '',
        status: 'cancelled',
        currentPeriodStart: new Date(Date.now() - 20 * 86_400_000),
        currentPeriodEnd: new Date(Date.now() + 10 * 86_400_000),
        cancelledAt: new Date(),
      });
      await em.flush();
      const run = await h.waitFor(
        await h.run('customer_renewal_process', { customer_id: globex?.id ?? '', subscription_id: cancelled.id }),
      );
      expect(run.status).toBe('COMPLETED');
      expect(step(run, 'check_eligibility').output).toMatchObject({ eligible: false, reason: 'cancelled' });
      expect(stepStatuses(run)).toMatchObject({ create_renewal_quote: 'SKIPPED', wait_for_acceptance: 'SKIPPED' });
    });
  });
});
