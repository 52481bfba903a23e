import { randomCrockford } from '../shared/identifiers.js';

/** A Stripe-like event about a payment intent: what the `payments` webhook source reads. */
export function paymentIntentEvent(input: {
  type: 'payment_intent.succeeded' | 'payment_intent.payment_failed' | 'payment_intent.canceled';
  reference: string;
  amount: number;
  currency: string;
  metadata: Record<string, string>;
  now: Date;
  failure?: { code: string; message: string };
}): { id: string; body: string } {
  const id = `evt_${randomCrockford(24).toLowerCase()}`;
  const status =
    input.type === 'payment_intent.succeeded'
      ? 'succeeded'
      : input.type === 'payment_intent.canceled'
        ? 'canceled'
        : 'requires_payment_method';
  const body = JSON.stringify({
    id,
    object: 'event',
    type: input.type,
    created: Math.floor(input.now.getTime() / 1000),
    data: {
      object: {
        id: input.reference,
        object: 'payment_intent',
        amount: input.amount,
        currency: input.currency.toLowerCase(),
        status,
        metadata: input.metadata,
        ...(input.failure ? { last_payment_error: input.failure } : {}),
      },
    },
  });
  return { id, body };
}
