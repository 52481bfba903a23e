import { signWebhook } from '../../../src/services/notifications/webhook-signature.js';
import type { Clock } from '../../../src/auth/clock.js';

/** A Stripe-like payment intent event, as the `payments` source takes it. */
export function paymentEvent(
  eventId: string,
  type: string,
  intent: { id: string; amount: number; currency: string; metadata?: Record<string, string>; error?: { code: string; message: string } },
): string {
  return JSON.stringify({
    id: eventId,
    object: 'event',
    type,
    data: {
      object: {
        id: intent.id,
        object: 'payment_intent',
        amount: intent.amount,
        currency: intent.currency.toLowerCase(),
        metadata: intent.metadata ?? {},
        ...(intent.error ? { last_payment_error: intent.error } : {}),
      },
    },
  });
}

/** POSTs a delivery to `/webhooks/<source>` of the server behind `graphqlUrl`, signed at the clock's time. */
export async function deliver(
  graphqlUrl: string,
  source: string,
  body: string,
  signing: { secret: string; clock: Clock; skewSeconds?: number } | { header: string } | undefined,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signing && 'header' in signing) headers['stripe-signature'] = signing.header;
  else if (signing)
    headers['stripe-signature'] = signWebhook(
      signing.secret,
      body,
      Math.floor(signing.clock.now().getTime() / 1000) + (signing.skewSeconds ?? 0),
    );
  const response = await fetch(new URL(`/webhooks/${source}`, graphqlUrl), { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
