import { LedgerEntry } from '../../entities/domain/ledger-entry.entity.js';
import { OutboxMessage, type InboundWebhookOutboxPayload } from '../../entities/domain/outbox-message.entity.js';
import { Tenant } from '../../entities/tenant.entity.js';
import { transactionQueryable } from '../../infra/queryable.js';
import { AppError } from '../../errors.js';
import { traceContext } from '../../observability/tracing/trace-context.js';
import { signingSecretOf } from '../webhook-secrets/secrets.js';
import { DEFAULT_LEDGER_LIMITS } from '../billing/ledger-payment-provider.js';
import { randomCrockford } from '../shared/identifiers.js';
import type { CreateIntentRequest, IntentProviderContext, PaymentIntentProvider } from './intent-provider.js';
import { paymentIntentEvent } from './provider-event.js';

/** A test method whose confirmation never comes, like a card whose 3-D Secure challenge is abandoned. */
export const UNCONFIRMED_METHOD = 'unconfirmed_card';

/**
 * The built-in ledger's asynchronous mode. Creating an intent decides it at once, deterministically, as
 * the synchronous ledger does (`declined_card` is declined, a method over its per-charge limit is
 * declined, `unconfirmed_card` never confirms, anything else succeeds and is captured into
 * `payment_ledger_entries`), but says so only through its webhook: a Stripe-like `payment_intent.*` event
 * queued in the outbox, in the step's transaction, and POSTed after the commit to our own
 * `/webhooks/payments`, signed with the tenant's payments secret — the same road a card processor's
 * webhook takes. So the tenant needs a payments webhook secret (INVALID_STATE otherwise).
 */
export function createLedgerIntentProvider(options: { limits?: Readonly<Record<string, number>> } = {}): PaymentIntentProvider {
  const limits = options.limits ?? DEFAULT_LEDGER_LIMITS;

  function outcome(request: CreateIntentRequest): { code: string; message: string } | 'succeeded' | 'never' {
    if (request.paymentMethod === UNCONFIRMED_METHOD) return 'never';
    const limit = limits[request.paymentMethod];
    if (limit === undefined) {
      throw new AppError(
        'VALIDATION',
        `payment method ${request.paymentMethod} is not supported (${[...Object.keys(limits), UNCONFIRMED_METHOD].join(', ')})`,
      );
    }
    if (request.paymentMethod === 'declined_card') return { code: 'card_declined', message: 'Your card was declined.' };
    if (request.amount > limit)
      return { code: 'amount_over_limit', message: `${request.amount} exceeds the ${request.paymentMethod} limit of ${limit} per charge` };
    return 'succeeded';
  }

  return {
    name: 'ledger',
    effects: 'local',
    async createIntent(ctx: IntentProviderContext, request: CreateIntentRequest) {
      const decided = outcome(request);
      if (!(await signingSecretOf(transactionQueryable(ctx.em), ctx.tenantId, 'payments', ctx.now))) {
        throw new AppError(
          'INVALID_STATE',
          'the ledger confirms payments through the payments webhook: create its secret first (createWebhookSecret(source: "payments"))',
          {
            details: { reason: 'no_webhook_secret', source: 'payments' },
          },
        );
      }
      const reference = `ldi_${randomCrockford(20).toLowerCase()}`;
      if (decided === 'never') return { reference };
      if (decided === 'succeeded') {
        ctx.em.create(LedgerEntry, {
          tenant: ctx.tenantId,
          idempotencyKey: request.idempotencyKey,
          reference,
          amount: request.amount,
          currency: request.currency,
          method: request.paymentMethod,
          description: request.description,
          createdAt: ctx.now,
        });
      }
      const event = paymentIntentEvent({
        type: decided === 'succeeded' ? 'payment_intent.succeeded' : 'payment_intent.payment_failed',
        reference,
        amount: request.amount,
        currency: request.currency,
        metadata: request.metadata,
        now: ctx.now,
        ...(decided === 'succeeded' ? {} : { failure: decided }),
      });
      const payload: InboundWebhookOutboxPayload = { inboundSource: 'payments', event: event.id, body: event.body, ...traceContext() };
      ctx.em.create(OutboxMessage, { tenant: ctx.em.getReference(Tenant, ctx.tenantId), kind: 'webhook', payload, nextAttemptAt: ctx.now });
      await ctx.em.flush();
      return { reference };
    },
    async refundIntent(ctx, request) {
      // Booked beside the capture, once per key (the step's retry finds it).
      const previous = await ctx.em.findOne(LedgerEntry, { tenant: ctx.tenantId, idempotencyKey: request.idempotencyKey });
      if (previous) return { reference: previous.reference };
      const reference = `ldr_${randomCrockford(20).toLowerCase()}`;
      ctx.em.create(LedgerEntry, {
        tenant: ctx.tenantId,
        idempotencyKey: request.idempotencyKey,
        kind: 'refund',
        reference,
        amount: request.amount,
        currency: request.currency,
        method: 'refund',
        description: `refund of ${request.reference}`,
        createdAt: ctx.now,
      });
      await ctx.em.flush();
      return { reference };
    },
    async cancelIntent() {
      // Decided at creation: an unconfirmed one simply never confirms; a confirmation already queued is
      // recorded when it arrives and resumes nothing.
    },
  };
}
