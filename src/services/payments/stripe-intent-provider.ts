import { AppError, coerceError } from '../../errors.js';
import type { CreateIntentRequest, IntentProviderContext, PaymentIntentProvider } from './intent-provider.js';

export interface StripeIntentProviderOptions {
  /** A secret key, `sk_live_…` / `sk_test_…`. */
  apiKey: string;
  /** Default https://api.stripe.com (tests point it at a local fake). */
  baseUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Our method names → Stripe payment methods: `card` is Stripe's test Visa; a `pm_…` id passes as it is. */
function stripePaymentMethod(method: string): string {
  return method === 'card' ? 'pm_card_visa' : method;
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

interface StripeError {
  type?: string;
  code?: string;
  message?: string;
  payment_intent?: { id?: string };
}

/**
 * Stripe's Payment Intents API (the endpoints it uses: `POST /v1/payment_intents` with `confirm=true`,
 * `POST /v1/payment_intents/:id/cancel`, `POST /v1/refunds`), form-encoded with `Idempotency-Key`, so a retried step creates one
 * intent. How an intent ends comes in Stripe's webhook (`payment_intent.succeeded` / `.payment_failed`) to
 * `/webhooks/payments`, signed with the endpoint's secret — the one `createWebhookSecret` made, given to
 * Stripe. A card declined at once (402 with the intent) is an intent too: its webhook reports the failure.
 * 429, 5xx and network failures are EXTERNAL_UNAVAILABLE (retried); 400 is VALIDATION; a key reused for
 * other parameters (409) is CONFLICT; a refused API key (401/403) is EXTERNAL_UNAVAILABLE, not retried.
 */
export function createStripeIntentProvider(options: StripeIntentProviderOptions): PaymentIntentProvider {
  const baseUrl = options.baseUrl ?? 'https://api.stripe.com';
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 20_000;

  async function post(
    ctx: IntentProviderContext,
    path: string,
    body: string,
    idempotencyKey: string,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    let response: Response;
    try {
      response = await fetchFn(new URL(path, baseUrl), {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${options.apiKey}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          'Idempotency-Key': idempotencyKey,
          'Stripe-Version': '2024-06-20',
        },
        body,
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]),
      });
    } catch (error) {
      throw new AppError('EXTERNAL_UNAVAILABLE', `Stripe unreachable: ${coerceError(error).message}`, { cause: error });
    }
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: response.status, json };
  }

  function failure(status: number, error: StripeError): AppError {
    const message = `Stripe answered ${status}: ${error.message ?? error.type ?? 'no message'}`;
    if (status === 429 || status >= 500) return new AppError('EXTERNAL_UNAVAILABLE', message, { details: { status } });
    if (status === 401 || status === 403) return new AppError('EXTERNAL_UNAVAILABLE', message, { retryable: false, details: { status } });
    if (status === 409) return new AppError('CONFLICT', message, { details: { status, code: error.code ?? null } });
    return new AppError('VALIDATION', message, { details: { status, code: error.code ?? null } });
  }

  const errorOf = (json: Record<string, unknown>): StripeError =>
    typeof json['error'] === 'object' && json['error'] !== null ? json['error'] : {};

  return {
    name: 'stripe',
    effects: 'external',
    async createIntent(ctx, request: CreateIntentRequest) {
      const fields: Record<string, string> = {
        amount: String(request.amount),
        currency: request.currency.toLowerCase(),
        'payment_method_types[]': 'card',
        payment_method: stripePaymentMethod(request.paymentMethod),
        confirm: 'true',
        description: request.description,
      };
      for (const [key, value] of Object.entries(request.metadata)) fields[`metadata[${key}]`] = value;
      const { status, json } = await post(ctx, '/v1/payment_intents', form(fields), request.idempotencyKey);
      if (status >= 200 && status < 300 && typeof json['id'] === 'string') return { reference: json['id'] };
      const error = errorOf(json);
      // A card error on confirmation still made the intent: its webhook says it failed.
      if (status === 402 && typeof error.payment_intent?.id === 'string') return { reference: error.payment_intent.id };
      throw failure(status, error);
    },
    async refundIntent(ctx, request) {
      // The whole amount: `POST /v1/refunds` with the intent; the key makes a retried step refund once.
      const { status, json } = await post(
        ctx,
        '/v1/refunds',
        form({ payment_intent: request.reference, amount: String(request.amount) }),
        request.idempotencyKey,
      );
      if (status >= 200 && status < 300 && typeof json['id'] === 'string') return { reference: json['id'] };
      throw failure(status, errorOf(json));
    },
    async cancelIntent(ctx, request) {
      const { status, json } = await post(
        ctx,
        `/v1/payment_intents/${encodeURIComponent(request.reference)}/cancel`,
        '',
        request.idempotencyKey,
      );
      if (status >= 200 && status < 300) return;
      const error = errorOf(json);
      // Already succeeded, failed or cancelled: nothing left to cancel.
      if (status === 400 && error.code === 'payment_intent_unexpected_state') return;
      throw failure(status, error);
    },
  };
}
