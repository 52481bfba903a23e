import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../../../src/errors.js';
import type { IntentProviderContext } from '../../../../src/services/payments/intent-provider.js';
import { createStripeIntentProvider } from '../../../../src/services/payments/stripe-intent-provider.js';
import { startFakeStripe, type FakeStripe } from '../../../helpers/fake-stripe.js';

describe("the Stripe adapter of the payment intent port, against a local fake of Stripe's endpoints", () => {
  let stripe: FakeStripe;
  // The adapter keeps nothing in our database: it never touches the EntityManager.
  const ctx: IntentProviderContext = {
    em: {} as EntityManager,
    tenantId: 'tenant-1',
    now: new Date(),
    signal: new AbortController().signal,
  };
  const request = (key: string, paymentMethod = 'card') => ({
    idempotencyKey: key,
    amount: 10_968,
    currency: 'EUR',
    paymentMethod,
    description: 'invoice INV-1',
    metadata: { invoice_id: 'inv-1' },
  });

  beforeAll(async () => {
    stripe = await startFakeStripe();
  });
  afterAll(async () => {
    await stripe.stop();
  });

  const provider = () => createStripeIntentProvider({ apiKey: 'sk_test_fake', baseUrl: stripe.url });

  it('creates a confirmed intent once per idempotency key, with the amount, currency and metadata Stripe takes', async () => {
    const first = await provider().createIntent(ctx, request('billing.createPaymentIntent:run-1:pay'));
    const again = await provider().createIntent(ctx, request('billing.createPaymentIntent:run-1:pay'));
    expect(again).toEqual(first);
    expect(first.reference).toMatch(/^pi_/);
    expect(stripe.intents.get(first.reference)).toMatchObject({
      amount: 10_968,
      currency: 'eur',
      paymentMethod: 'pm_card_visa',
      metadata: { invoice_id: 'inv-1' },
    });
    expect(stripe.requests.filter((each) => each.idempotencyKey === 'billing.createPaymentIntent:run-1:pay')).toHaveLength(2);
  });

  it('answers a card declined at confirmation with its intent (the webhook reports the failure)', async () => {
    const created = await provider().createIntent(ctx, request('run-2:pay', 'pm_card_chargedeclined'));
    expect(stripe.intents.get(created.reference)?.status).toBe('requires_payment_method');
  });

  it('is EXTERNAL_UNAVAILABLE (retryable) while Stripe answers 503 or cannot be reached, and VALIDATION for a request it refuses', async () => {
    stripe.failNext(1);
    await expect(provider().createIntent(ctx, request('run-3:pay'))).rejects.toMatchObject({
      code: 'EXTERNAL_UNAVAILABLE',
      retryable: true,
    });
    expect((await provider().createIntent(ctx, request('run-3:pay'))).reference).toMatch(/^pi_/);

    const unreachable = createStripeIntentProvider({ apiKey: 'sk_test_fake', baseUrl: 'http://127.0.0.1:9' });
    await expect(unreachable.createIntent(ctx, request('run-4:pay'))).rejects.toMatchObject({
      code: 'EXTERNAL_UNAVAILABLE',
      retryable: true,
    });
    await expect(provider().createIntent(ctx, { ...request('run-5:pay'), currency: 'EURO' })).rejects.toMatchObject({ code: 'VALIDATION' });
    const wrongKey = createStripeIntentProvider({ apiKey: 'sk_test_wrong', baseUrl: stripe.url });
    await expect(wrongKey.createIntent(ctx, request('run-6:pay'))).rejects.toMatchObject({
      code: 'EXTERNAL_UNAVAILABLE',
      retryable: false,
    });
  });

  it('refuses a key reused for another payment (CONFLICT), and cancels an open intent, a settled one being left alone', async () => {
    await expect(provider().createIntent(ctx, { ...request('billing.createPaymentIntent:run-1:pay'), amount: 1 })).rejects.toBeInstanceOf(
      AppError,
    );
    await expect(provider().createIntent(ctx, { ...request('billing.createPaymentIntent:run-1:pay'), amount: 1 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });

    const declined = await provider().createIntent(ctx, request('run-7:pay', 'pm_card_chargedeclined'));
    await provider().cancelIntent(ctx, { reference: declined.reference, idempotencyKey: 'cancel-7' });
    expect(stripe.intents.get(declined.reference)?.status).toBe('canceled');
    const paid = await provider().createIntent(ctx, request('run-8:pay'));
    await expect(provider().cancelIntent(ctx, { reference: paid.reference, idempotencyKey: 'cancel-8' })).resolves.toBeUndefined();
    expect(stripe.intents.get(paid.reference)?.status).toBe('succeeded');
  });

  it('refunds a captured intent once per key (POST /v1/refunds), and refuses one that never captured', async () => {
    const paid = await provider().createIntent(ctx, request('run-9:pay'));
    const refund = { reference: paid.reference, amount: 10_968, currency: 'EUR', idempotencyKey: 'billing.refundLateCapture:intent-9' };
    const first = await provider().refundIntent(ctx, refund);
    expect(first.reference).toMatch(/^re_/);
    // The step retried: the same key answers the same refund; nothing is refunded twice.
    expect(await provider().refundIntent(ctx, refund)).toEqual(first);
    expect([...stripe.refunds.values()].filter((each) => each.paymentIntent === paid.reference)).toEqual([
      { paymentIntent: paid.reference, amount: 10_968 },
    ]);
    await expect(provider().refundIntent(ctx, { ...refund, idempotencyKey: 'another-key' })).rejects.toMatchObject({
      code: 'VALIDATION',
      retryable: false,
    });

    const declined = await provider().createIntent(ctx, request('run-10:pay', 'pm_card_chargedeclined'));
    await expect(
      provider().refundIntent(ctx, { ...refund, reference: declined.reference, idempotencyKey: 'refund-10' }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    stripe.failNext(1);
    await expect(
      provider().refundIntent(ctx, { ...refund, reference: declined.reference, idempotencyKey: 'refund-11' }),
    ).rejects.toMatchObject({ code: 'EXTERNAL_UNAVAILABLE', retryable: true });
  });
});
