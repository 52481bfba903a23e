import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Invoice } from '../../entities/domain/invoice.entity.js';
import { PaymentIntent } from '../../entities/domain/payment-intent.entity.js';
import { Payment } from '../../entities/domain/payment.entity.js';
import { AppError } from '../../errors.js';
import { uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { defineServiceMethod } from '../registry.js';
import { intentResult } from './payment-intents.js';

/** The payload of `payment.succeeded` / `payment.failed` as the payments webhook records it. */
const providerEvent = z.object({
  intentId: z.string(),
  status: z.enum(['succeeded', 'failed', 'canceled']),
  amount: z.int(),
  currency: z.string(),
  providerEventId: z.string().optional(),
  failureCode: z.string().optional(),
  failureMessage: z.string().optional(),
});

/** What a wait for `payment.succeeded|payment.failed` hands on: the event (payload) or `timedOut`. */
const confirmation = z.union([
  z.object({ timedOut: z.literal(true) }),
  z.object({ eventId: z.string().nullable().optional(), event: providerEvent }),
]);

/**
 * The provider's word about an intent already recorded, a capture before a failure: what a wait that timed
 * out may have missed (recorded a moment before the timeout, its dispatch found the wait closed).
 */
async function providerWordRecordedFor(
  em: EntityManager,
  tenantId: string,
  providerReference: string,
): Promise<z.infer<typeof providerEvent> | null> {
  const rows = await em.getConnection().execute<Array<{ payload: unknown }>>(
    `select payload from domain_events where tenant_id = ? and name in ('payment.succeeded', 'payment.failed') and payload->>'intentId' = ?
     order by (name = 'payment.succeeded') desc, occurred_at, id limit 1`,
    [tenantId, providerReference],
    'all',
    em.getTransactionContext(),
  );
  const parsed = providerEvent.safeParse(rows[0]?.payload);
  return parsed.success ? parsed.data : null;
}

/**
 * billing.settlePaymentIntent(intentId, confirmation) → {intentId, status, paymentId, invoiceStatus, …}
 *
 * Updates the transaction from the provider's word: a `payment.succeeded` for the intent's amount and
 * currency makes it `succeeded`, records the payment against its invoice and marks the invoice `paid`; a
 * `payment.failed` makes it `failed` with the provider's code; no word in time (`timedOut`) makes it
 * `canceled` (`confirmation_timeout`) — unless the word was recorded all the same before this settles (a
 * capture recorded just before the timeout, whose delivery found the wait closed): that word is honoured,
 * a capture paid as if it had come in time. The intent row is locked and the payments webhook locks it too
 * before it calls a capture late (late-capture.ts), so a capture is either honoured here or refunded there. A confirmation of another amount or currency is recorded `failed`
 * (`amount_mismatch`). Settling a settled intent returns it unchanged. It never throws for a failed payment —
 * that is recorded here and refused by billing.requirePaymentSucceeded, so the record survives the failure.
 */
export const settlePaymentIntent = defineServiceMethod({
  service: 'billing',
  method: 'settlePaymentIntent',
  description: "Records a payment intent's outcome from the provider's webhook (or its absence) and pays its invoice.",
  effects: 'local',
  input: z.object({ intentId: uuid, confirmation }),
  async run(ctx, input) {
    const intent = await findInTenantOrFail(
      ctx.em,
      PaymentIntent,
      { id: input.intentId, tenant: ctx.tenantId },
      `payment intent ${input.intentId}`,
      { lock: true },
    );
    const invoice = await findInTenantOrFail(
      ctx.em,
      Invoice,
      { id: intent.invoice.id, tenant: ctx.tenantId },
      `invoice ${intent.invoice.id}`,
      { lock: true },
    );
    const result = (paymentId: string | null) => ({
      ...intentResult(intent),
      paymentId,
      invoiceNumber: invoice.number,
      invoiceStatus: invoice.status,
    });
    if (intent.status === 'succeeded') {
      const paid = await ctx.em.findOne(Payment, { tenant: ctx.tenantId, invoice: invoice.id, status: 'succeeded' });
      return result(paid?.id ?? null);
    }
    if (intent.status !== 'processing') return result(null);

    const settle = (status: 'failed' | 'canceled', code: string, message: string) => {
      intent.status = status;
      intent.failureCode = code;
      intent.failureMessage = message;
      intent.settledAt = ctx.now;
    };
    /** The provider's event that settled it, when its word names one. */
    const settledBy = (providerEventId: string | undefined) => {
      if (providerEventId !== undefined) intent.providerEventId = providerEventId;
    };
    const recorded =
      'timedOut' in input.confirmation ? await providerWordRecordedFor(ctx.em, ctx.tenantId, intent.providerReference) : null;
    const word = recorded ? { event: recorded } : input.confirmation;
    if ('timedOut' in word) {
      settle('canceled', 'confirmation_timeout', 'the provider did not confirm the payment in time');
    } else if (word.event.intentId !== intent.providerReference) {
      throw new AppError('VALIDATION', `the confirmation is about intent ${word.event.intentId}, not ${intent.providerReference}`);
    } else if (word.event.status !== 'succeeded') {
      settledBy(word.event.providerEventId);
      settle('failed', word.event.failureCode ?? word.event.status, word.event.failureMessage ?? `the payment was ${word.event.status}`);
    } else if (word.event.amount !== intent.amount || word.event.currency !== intent.currency) {
      settledBy(word.event.providerEventId);
      settle(
        'failed',
        'amount_mismatch',
        `confirmed ${word.event.amount} ${word.event.currency}, expected ${intent.amount} ${intent.currency}`,
      );
    } else {
      intent.status = 'succeeded';
      settledBy(word.event.providerEventId);
      intent.settledAt = ctx.now;
      const payment = ctx.em.create(Payment, {
        tenant: ctx.tenantId,
        customer: intent.customer.id,
        invoice: invoice.id,
        amount: intent.amount,
        currency: intent.currency,
        method: intent.method,
        provider: intent.provider,
        providerReference: intent.providerReference,
        idempotencyKey: intent.idempotencyKey,
        createdAt: ctx.now,
      });
      invoice.status = 'paid';
      invoice.paidAt = ctx.now;
      await ctx.em.flush();
      return result(payment.id);
    }
    await ctx.em.flush();
    return result(null);
  },
});

/**
 * billing.requirePaymentSucceeded(settled) → {confirmed: true}   (settled: settlePaymentIntent's result)
 *
 * The gate after settlePaymentIntent: a succeeded payment passes; a failed one is PAYMENT_DECLINED and a
 * payment never confirmed is TIMEOUT — typed, not retryable, with the intent and the provider's code in
 * `details` — so the run fails there and its compensations void the invoice draft and cancel the intent.
 */
export const requirePaymentSucceeded = defineServiceMethod({
  service: 'billing',
  method: 'requirePaymentSucceeded',
  description: 'Fails with PAYMENT_DECLINED or TIMEOUT unless the settled payment intent succeeded.',
  effects: 'none',
  input: z.object({
    settled: z.object({
      intentId: uuid,
      status: z.string(),
      failureCode: z.string().nullable().optional(),
      failureMessage: z.string().nullable().optional(),
    }),
  }),
  async run(_ctx, { settled: input }) {
    if (input.status === 'succeeded') return { confirmed: true };
    const details = { intentId: input.intentId, status: input.status, declineCode: input.failureCode ?? null };
    if (input.failureCode === 'confirmation_timeout') {
      throw new AppError('TIMEOUT', `payment intent ${input.intentId} was not confirmed in time`, { retryable: false, details });
    }
    throw new AppError('PAYMENT_DECLINED', `payment failed: ${input.failureMessage ?? input.status}`, { retryable: false, details });
  },
});
