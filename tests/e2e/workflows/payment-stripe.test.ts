import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PaymentRecordsDocument, WebhookCreateSecretDocument } from '../../generated/graphql.js';
import { startFakeStripe, type FakeStripe } from '../../helpers/fake-stripe.js';
import { deliver, paymentEvent } from '../../integration/webhooks/support.js';
import { startWorkflowHarness, step, surveyedCustomer, type WorkflowHarness } from './harness.js';

/**
 * Issue 18: payment_processing with STRIPE_API_KEY set — the intent made through the Stripe adapter
 * (against a local fake of Stripe's endpoints), settled by Stripe's signed webhook to /webhooks/payments,
 * end to end through the GraphQL API.
 */
describe('payment_processing through the Stripe adapter', () => {
  let h: WorkflowHarness;
  let stripe: FakeStripe;
  let signing: { secret: string; clock: { now: () => Date } };

  beforeAll(async () => {
    stripe = await startFakeStripe();
    h = await startWorkflowHarness({ env: { STRIPE_API_KEY: 'sk_test_fake', STRIPE_API_URL: stripe.url } });
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

    const body = paymentEvent('evt_stripe_ok_1', 'payment_intent.succeeded', { id: intent.providerReference, amount: 12_000, currency: 'EUR' });
    expect(await deliver(h.server.url, 'payments', body, signing)).toMatchObject({ status: 200, body: { recorded: true } });
    expect((await h.waitFor(id)).status).toBe('COMPLETED');
    const { invoices, paymentIntents } = await records(customerId);
    expect(paymentIntents).toEqual([expect.objectContaining({ provider: 'stripe', providerReference: intent.providerReference, status: 'SUCCEEDED', providerEventId: 'evt_stripe_ok_1' })]);
    expect(invoices).toEqual([expect.objectContaining({ status: 'paid', amount: 12_000 })]);
  });

  it("fails a card Stripe declines when Stripe's webhook says so: PAYMENT_DECLINED, the invoice draft voided", async () => {
    const customerId = await surveyedCustomer(h, 'Dario Declined');
    const id = await h.run('payment_processing', { customer_id: customerId, amount: 5_000, currency: 'EUR', region: 'DE', payment_method: 'pm_card_chargeDeclined' });
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
});
