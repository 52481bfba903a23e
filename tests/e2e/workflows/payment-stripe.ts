import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signal } from '../../../src/engine/store/execution-store.js';
import { transactionQueryable } from '../../../src/infra/queryable.js';
import { PAYMENT_CONFIRMATION_SECONDS } from '../../../src/workflows/payment-processing.js';
import { PaymentRecordsDocument, PaymentRefundEmailsDocument, WebhookCreateSecretDocument } from '../../generated/graphql.js';
import { startFakeStripe, type FakeStripe } from '../../helpers/fake-stripe.js';
import { deliver, paymentEvent } from '../../integration/webhooks/support.js';
import { startWorkflowHarness, step, surveyedCustomer, type WorkflowHarness } from './harness.js';

/**
 * Issue 18: payment_processing with STRIPE_API_KEY set — the intent made through the Stripe adapter
 * (against a local fake of Stripe's endpoints), settled by Stripe's signed webhook to /webhooks/payments,
 * end to end through the GraphQL API; a capture after the run gave up refunded through Stripe's /v1/refunds.
 */
describe('payment_processing through the Stripe adapter', () => {
  let h: WorkflowHarness;
  let stripe: FakeStripe;
  let signing: { secret: string; clock: { now: () => Date } };
  // The engine's clock, moved by the test: a confirmation that never comes times out without an hour's wait.
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    stripe = await startFakeStripe();
    h = await startWorkflowHarness({ clock, env: { STRIPE_API_KEY: 'sk_test_fake', STRIPE_API_URL: stripe.url } });
    // The endpoint's secret, as given to Stripe: Stripe signs its deliveries with it.
    const secret = (await h.gql(WebhookCreateSecretDocument, { source: 'payments' })).createWebhookSecret.secret;
    signing = { secret, clock: { now: () => new Date() } };
  });
  afterAll(async () => {
    await h?.stop();
    await stripe?.stop();
  });

  const records = async (customerId: string) => h.gql(PaymentRecordsDocument, { customerId });

  it("creates the intent with Stripe once, waits for Stripe's webhook, pays the invoice", async () => {
    const customerId = await surveyedCustomer(h, 'Stella Stripe');
    const id = await h.run('payment_processing', { customer_id: customerId, amount: 10_000, currency: 'EUR', region: 'FR' });
    const waiting = await h.waitFor(id, (run) => run.status === 'WAITING');
    const intent = step(waiting, 'create_payment_intent').output as { providerReference: string; amount: number };
    // FR VAT 20 %: 120.00 EUR, asked of Stripe once, with the step's key.
    expect(intent.amount).toBe(12_000);
    expect(stripe.intents.get(intent.providerReference)).toMatchObject({ amount: 12_000, currency: 'eur', paymentMethod: 'pm_card_visa' });
    const creates = stripe.requests.filter((request) => request.path === '/v1/payment_intents');
    expect(creates).toEqual([expect.objectContaining({ method: 'POST', idempotencyKey: expect.stringMatching(/.+/) })]);

    const body = paymentEvent('evt_stripe_ok_1', 'payment_intent.succeeded', {
      id: intent.providerReference,
      amount: 12_000,
      currency: 'EUR',
    });
    expect(await deliver(h.server.url, 'payments', body, signing)).toMatchObject({ status: 200, body: { recorded: true } });
    expect((await h.waitFor(id)).status).toBe('COMPLETED');
    const { invoices, paymentIntents } = await records(customerId);
    expect(paymentIntents).toEqual([
      expect.objectContaining({
        provider: 'stripe',
        providerReference: intent.providerReference,
        status: 'SUCCEEDED',
        providerEventId: 'evt_stripe_ok_1',
      }),
    ]);
    expect(invoices).toEqual([expect.objectContaining({ status: 'paid', amount: 12_000 })]);
  });

  it("fails a card Stripe declines when Stripe's webhook says so: PAYMENT_DECLINED, the invoice draft voided", async () => {
    const customerId = await surveyedCustomer(h, 'Dario Declined');
    const id = await h.run('payment_processing', {
      customer_id: customerId,
      amount: 5_000,
      currency: 'EUR',
      region: 'DE',
      payment_method: 'pm_card_chargeDeclined',
    });
    const waiting = await h.waitFor(id, (run) => run.status === 'WAITING');
    const intent = step(waiting, 'create_payment_intent').output as { providerReference: string };
    expect(stripe.intents.get(intent.providerReference)?.status).toBe('requires_payment_method');

    const body = paymentEvent('evt_stripe_declined_1', 'payment_intent.payment_failed', {
      id: intent.providerReference,
      amount: 5_950,
      currency: 'EUR',
      error: { code: 'card_declined', message: 'Your card was declined.' },
    });
    expect(await deliver(h.server.url, 'payments', body, signing)).toMatchObject({ status: 200, body: { recorded: true } });
    const failed = await h.waitFor(id);
    expect(failed.error).toMatchObject({ code: 'PAYMENT_DECLINED', step: 'require_payment' });
    const { invoices, paymentIntents } = await records(customerId);
    expect(paymentIntents).toEqual([expect.objectContaining({ provider: 'stripe', status: 'FAILED', failureCode: 'card_declined' })]);
    expect(invoices).toEqual([expect.objectContaining({ status: 'void' })]);
    // Settled as failed, it is not open: the compensation asks Stripe to cancel nothing.
    expect(stripe.requests.filter((request) => request.path.endsWith('/cancel'))).toEqual([]);
  });

  it('refunds through Stripe a capture whose webhook came after the run gave up, and tells the customer', async () => {
    const customerId = await surveyedCustomer(h, 'Lena Late');
    const id = await h.run('payment_processing', { customer_id: customerId, amount: 4_000, currency: 'EUR', region: 'DE' });
    const waiting = await h.waitFor(id, (run) => run.status === 'WAITING');
    const intent = step(waiting, 'create_payment_intent').output as { providerReference: string; amount: number };
    // DE VAT 19 %: 47.60 EUR. Stripe captured it, but its webhook does not come within the hour.
    expect(stripe.intents.get(intent.providerReference)).toMatchObject({ amount: 4_760, status: 'succeeded' });
    offsetMs += (PAYMENT_CONFIRMATION_SECONDS + 1) * 1000;
    await signal(transactionQueryable(h.server.orm.em.fork()), h.tenantId, id);
    const failed = await h.waitFor(id);
    expect(failed.error).toMatchObject({ code: 'TIMEOUT', step: 'require_payment' });
    // The undo asked Stripe to cancel it; Stripe answers it has nothing to cancel (captured), which is not an error.
    expect(stripe.requests.filter((request) => request.path === `/v1/payment_intents/${intent.providerReference}/cancel`)).toHaveLength(1);

    const body = paymentEvent('evt_stripe_late_1', 'payment_intent.succeeded', {
      id: intent.providerReference,
      amount: 4_760,
      currency: 'EUR',
    });
    expect(await deliver(h.server.url, 'payments', body, signing)).toMatchObject({ status: 200, body: { recorded: true } });
    const { started } = await h.dispatched('payment.late_capture', (payload) => payload['providerReference'] === intent.providerReference);
    const refund = await h.waitFor(started['payment_refund'] ?? '');
    expect(refund.status).toBe('COMPLETED');

    // Stripe refunded the whole amount, once, under the refund's idempotency key.
    const refunds = [...stripe.refunds.entries()].filter(([, each]) => each.paymentIntent === intent.providerReference);
    expect(refunds).toEqual([[expect.stringMatching(/^re_/), { paymentIntent: intent.providerReference, amount: 4_760 }]]);
    expect(stripe.requests.filter((request) => request.path === '/v1/refunds')).toEqual([
      expect.objectContaining({ method: 'POST', idempotencyKey: expect.stringMatching(/^billing\.refundLateCapture:/) }),
    ]);
    const { paymentIntents, invoices } = await records(customerId);
    expect(paymentIntents).toEqual([expect.objectContaining({ provider: 'stripe', status: 'REFUNDED', refundReference: refunds[0]?.[0] })]);
    expect(invoices).toEqual([expect.objectContaining({ status: 'void' })]);
    const notices = (await h.gql(PaymentRefundEmailsDocument, { to: 'lena.late@isp.example' })).outboxEmails;
    expect(notices).toEqual([expect.objectContaining({ subject: `Refund of 47.60 EUR for invoice ${invoices[0]?.number}` })]);

    // Stripe's redelivery records nothing and refunds nothing again.
    expect(await deliver(h.server.url, 'payments', body, signing)).toMatchObject({ status: 200, body: { recorded: false } });
    expect(stripe.requests.filter((request) => request.path === '/v1/refunds')).toHaveLength(1);
  });
});
