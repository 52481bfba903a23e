import type { JsonObject } from '../entities/json.js';
import { CURRENCY_PATTERN } from '../entities/domain/money.js';
import { noteCaptureOfIntent } from '../services/payments/late-capture.js';
import { WebhookBodyError, type WebhookEvent, type WebhookSource } from './sources.js';

/** The payment provider's event types we act on, and the domain events they become. */
const PAYMENT_EVENT_TYPES: Readonly<Record<string, { name: string; status: string }>> = {
  'payment_intent.succeeded': { name: 'payment.succeeded', status: 'succeeded' },
  'payment_intent.payment_failed': { name: 'payment.failed', status: 'failed' },
  'payment_intent.canceled': { name: 'payment.failed', status: 'canceled' },
};

export const PAYMENT_EVENT_NAMES = ['payment.succeeded', 'payment.failed'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, what: string, max = 200): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max)
    throw new WebhookBodyError(`${what} must be a string of 1 to ${max} characters`);
  return value;
}

/** String values of `metadata` only (what providers allow), at most 20 keys. */
function metadataOf(value: unknown): JsonObject {
  if (!isObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0].length <= 40)
      .slice(0, 20)
      .map(([key, each]) => [key, each.slice(0, 500)]),
  );
}

/**
 * `payments`: a Stripe-like event, `{ id: "evt_…", type: "payment_intent.succeeded", data: { object: {
 * id: "pi_…", amount, currency, metadata, last_payment_error?: { code, message } } } }`, signed in
 * `Stripe-Signature`. `payment_intent.succeeded` becomes `payment.succeeded`; `.payment_failed` and
 * `.canceled` become `payment.failed` (with `status`); other types are answered 2xx and ignored.
 * The event's id is `payments:<evt id>`, so a redelivery is the same event.
 */
export const paymentsWebhookSource: WebhookSource = {
  name: 'payments',
  signatureHeader: 'stripe-signature',
  toEvent(body: unknown): WebhookEvent {
    if (!isObject(body)) throw new WebhookBodyError('the body must be a JSON object');
    const id = text(body['id'], 'id');
    const type = text(body['type'], 'type', 100);
    const mapped = PAYMENT_EVENT_TYPES[type];
    if (!mapped) return { kind: 'ignored', reason: `event type ${type} is not acted on` };
    const data = body['data'];
    const intent = isObject(data) ? data['object'] : undefined;
    if (!isObject(intent)) throw new WebhookBodyError('data.object must be the payment intent');
    const amount = intent['amount'];
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0)
      throw new WebhookBodyError('data.object.amount must be integer minor units');
    const currency = text(intent['currency'], 'data.object.currency', 3).toUpperCase();
    if (!CURRENCY_PATTERN.test(currency)) throw new WebhookBodyError('data.object.currency must be an ISO 4217 code');
    const failure = isObject(intent['last_payment_error']) ? intent['last_payment_error'] : {};
    const payload: JsonObject = {
      intentId: text(intent['id'], 'data.object.id'),
      status: mapped.status,
      amount,
      currency,
      providerEventId: id,
      providerEventType: type,
      metadata: metadataOf(intent['metadata']),
      ...(mapped.status === 'succeeded'
        ? {}
        : {
            failureCode: typeof failure['code'] === 'string' ? failure['code'].slice(0, 100) : mapped.status,
            failureMessage: typeof failure['message'] === 'string' ? failure['message'].slice(0, 500) : `the payment was ${mapped.status}`,
          }),
    };
    return { kind: 'event', id: `payments:${id}`, name: mapped.name, payload };
  },
  async afterRecord(em, tenantId, payload) {
    // A capture of an intent the run already gave up on is refunded (payment.late_capture → payment_refund).
    const { status, intentId, providerEventId } = payload;
    if (status === 'succeeded' && typeof intentId === 'string' && typeof providerEventId === 'string')
      await noteCaptureOfIntent(em, tenantId, { intentId, providerEventId });
  },
};
