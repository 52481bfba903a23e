import { z } from 'zod';
import { Invoice } from '../../entities/domain/invoice.entity.js';
import { PaymentIntent } from '../../entities/domain/payment-intent.entity.js';
import { AppError } from '../../errors.js';
import { uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { defineServiceMethod, type ServiceCallContext } from '../registry.js';
import type { PaymentIntentProvider } from './intent-provider.js';

export function intentResult(intent: PaymentIntent) {
  return {
    intentId: intent.id,
    invoiceId: intent.invoice.id,
    provider: intent.provider,
    providerReference: intent.providerReference,
    status: intent.status,
    amount: intent.amount,
    currency: intent.currency,
    paymentMethod: intent.method,
    failureCode: intent.failureCode ?? null,
    failureMessage: intent.failureMessage ?? null,
  };
}

/** Ours (`card`, `declined_card`…) or the provider's own id of one, which has capitals (Stripe's `pm_1NqX…`, `pm_card_chargeDeclined`). */
const paymentMethod = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{1,99}$/, 'a payment method: card, or a provider id such as pm_1Nq…');

/** A provider outside our database gets a fork of its own: our rows are then written in a short transaction after it answered. */
export async function inOwnTransaction<T>(
  ctx: ServiceCallContext,
  provider: PaymentIntentProvider,
  work: (ctx: ServiceCallContext) => Promise<T>,
): Promise<T> {
  return provider.effects === 'local' ? work(ctx) : ctx.em.transactional((em) => work({ ...ctx, em }));
}

/**
 * billing.createPaymentIntent(invoiceId, paymentMethod) → {intentId, invoiceId, provider, providerReference,
 *   status: 'processing', amount, currency, …}
 *
 * Asks the payment provider for an intent of the draft invoice's total, with the idempotency key
 * `billing.createPaymentIntent:<call key>` (a retried step asks once), and records it `processing`: how it
 * ends comes in the provider's signed webhook (`payment.succeeded` / `payment.failed`), which a workflow
 * waits for, matching `providerReference`. Its undo is billing.cancelPaymentIntent.
 */
export function createPaymentIntentMethod(provider: PaymentIntentProvider) {
  return defineServiceMethod({
    service: 'billing',
    method: 'createPaymentIntent',
    description: "Creates a payment intent for a draft invoice's total with the provider; its webhook confirms it.",
    effects: provider.effects,
    output: z.looseObject({ intentId: z.uuid(), providerReference: z.string(), status: z.string() }),
    input: z.object({ invoiceId: uuid, paymentMethod }),
    async run(ctx, input) {
      const idempotencyKey = `billing.createPaymentIntent:${ctx.idempotencyKey}`;
      const previous = await ctx.em.findOne(PaymentIntent, { tenant: ctx.tenantId, idempotencyKey });
      if (previous) return intentResult(previous);
      const invoice = await findInTenantOrFail(
        ctx.em,
        Invoice,
        { id: input.invoiceId, tenant: ctx.tenantId },
        `invoice ${input.invoiceId}`,
      );
      if (invoice.status !== 'draft')
        throw new AppError('INVALID_STATE', `invoice ${invoice.number} is ${invoice.status}, not a draft awaiting payment`, {
          details: { status: invoice.status },
        });

      const created = await provider.createIntent(
        { em: ctx.em, tenantId: ctx.tenantId, now: ctx.now, signal: ctx.signal },
        {
          idempotencyKey,
          amount: invoice.amount,
          currency: invoice.currency,
          paymentMethod: input.paymentMethod,
          description: `invoice ${invoice.number}`,
          metadata: { invoice_id: invoice.id, invoice_number: invoice.number, tenant_id: ctx.tenantId },
        },
      );
      return inOwnTransaction(ctx, provider, async ({ em }) => {
        const intent = em.create(PaymentIntent, {
          tenant: ctx.tenantId,
          customer: invoice.customer.id,
          invoice: invoice.id,
          amount: invoice.amount,
          currency: invoice.currency,
          method: input.paymentMethod,
          provider: provider.name,
          providerReference: created.reference,
          idempotencyKey,
          createdAt: ctx.now,
        });
        await em.flush();
        return intentResult(intent);
      });
    },
  });
}

/**
 * billing.cancelPaymentIntent(intentId) → {intentId, status, …}
 *
 * The undo of createPaymentIntent: an intent still `processing` (or given up after its confirmation did
 * not come) is cancelled with the provider and recorded `canceled`; a settled one (`succeeded`, `failed`)
 * is left as it is — a payment that went through is never silently dropped.
 */
export function cancelPaymentIntentMethod(provider: PaymentIntentProvider) {
  return defineServiceMethod({
    service: 'billing',
    method: 'cancelPaymentIntent',
    description: 'Cancels a payment intent not yet settled (the undo of createPaymentIntent).',
    effects: provider.effects,
    input: z.object({ intentId: uuid }),
    async run(ctx, input) {
      const intent = await findInTenantOrFail(
        ctx.em,
        PaymentIntent,
        { id: input.intentId, tenant: ctx.tenantId },
        `payment intent ${input.intentId}`,
      );
      if (intent.status === 'succeeded' || intent.status === 'failed') return intentResult(intent);
      await provider.cancelIntent(
        { em: ctx.em, tenantId: ctx.tenantId, now: ctx.now, signal: ctx.signal },
        { reference: intent.providerReference, idempotencyKey: `billing.cancelPaymentIntent:${intent.id}` },
      );
      return inOwnTransaction(ctx, provider, async ({ em }) => {
        const locked = await findInTenantOrFail(em, PaymentIntent, { id: intent.id, tenant: ctx.tenantId }, `payment intent ${intent.id}`, {
          lock: true,
        });
        if (locked.status === 'processing') {
          locked.status = 'canceled';
          locked.failureCode ??= 'canceled';
          locked.settledAt = ctx.now;
          await em.flush();
        }
        return intentResult(locked);
      });
    },
  });
}
