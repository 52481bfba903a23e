import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Customer } from '../../entities/customer.entity.js';
import { DomainEvent } from '../../entities/domain-event.entity.js';
import { Invoice } from '../../entities/domain/invoice.entity.js';
import { PaymentIntent } from '../../entities/domain/payment-intent.entity.js';
import type { JsonObject } from '../../entities/json.js';
import { eventIdFor } from '../../infra/event-ids.js';
import { uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { recordDomainEvent } from '../domain-events.js';
import { defineServiceMethod } from '../registry.js';
import type { PaymentIntentProvider } from './intent-provider.js';
import { inOwnTransaction, intentResult } from './payment-intents.js';

export const LATE_CAPTURE_EVENT = 'payment.late_capture';

/**
 * Records `payment.late_capture` once for an intent we gave up on (`canceled`, `confirmation_timeout`)
 * whose capture the provider reports all the same; its trigger starts payment_refund. Called by the payments
 * webhook's transaction with the intent row locked; settlePaymentIntent locks it too and honours a capture
 * recorded before it settles, so whichever commits second sees the other: a capture is paid or refunded,
 * never both. Recorded once per intent (its id derived from the intent).
 */
export async function recordLateCapture(
  em: EntityManager,
  tenantId: string,
  intent: PaymentIntent,
  providerEventId: string | null,
): Promise<boolean> {
  if (intent.status !== 'canceled' || intent.failureCode !== 'confirmation_timeout') return false;
  const id = eventIdFor(tenantId, `${LATE_CAPTURE_EVENT}:${intent.id}`);
  if (await em.findOne(DomainEvent, { id })) return false;
  const payload: JsonObject = {
    intentId: intent.id,
    providerReference: intent.providerReference,
    provider: intent.provider,
    amount: intent.amount,
    currency: intent.currency,
    providerEventId,
  };
  recordDomainEvent(em, { tenantId, id, name: LATE_CAPTURE_EVENT, payload, source: `billing:${intent.provider}` });
  await em.flush();
  return true;
}

/** The payments webhook recorded a `payment.succeeded`: a capture of an intent we gave up on is a late capture. */
export async function noteCaptureOfIntent(
  em: EntityManager,
  tenantId: string,
  event: { intentId: string; providerEventId: string },
): Promise<void> {
  const intent = await em.findOne(
    PaymentIntent,
    { tenant: tenantId, providerReference: event.intentId },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  if (intent) await recordLateCapture(em, tenantId, intent, event.providerEventId);
}

/**
 * billing.refundLateCapture(intentId) → {intentId, status, refundReference, refunded, customerEmail, customerName, invoiceNumber, …}
 *
 * Gives back a capture that came after the run gave up on its intent: the whole amount refunded through the
 * provider (the ledger books a refund entry; Stripe `POST /v1/refunds`), once per intent (idempotency key
 * `billing.refundLateCapture:<intent>`), and the intent recorded `refunded`. An intent that is not a given-up
 * one (succeeded in time, failed, refunded already) is left as it is: `refunded: false`.
 */
export function refundLateCaptureMethod(provider: PaymentIntentProvider) {
  return defineServiceMethod({
    service: 'billing',
    method: 'refundLateCapture',
    description: 'Refunds a payment captured after its run gave up on it (payment.late_capture).',
    effects: provider.effects,
    input: z.object({ intentId: uuid }),
    async run(ctx, input) {
      const intent = await findInTenantOrFail(
        ctx.em,
        PaymentIntent,
        { id: input.intentId, tenant: ctx.tenantId },
        `payment intent ${input.intentId}`,
      );
      // Whom the refund notice goes to, and the invoice it names (voided when the run gave up).
      const customer = await findInTenantOrFail(
        ctx.em,
        Customer,
        { id: intent.customer.id, tenant: ctx.tenantId },
        `customer ${intent.customer.id}`,
      );
      const invoice = await findInTenantOrFail(
        ctx.em,
        Invoice,
        { id: intent.invoice.id, tenant: ctx.tenantId },
        `invoice ${intent.invoice.id}`,
      );
      const notice = { customerEmail: customer.email, customerName: customer.name, invoiceNumber: invoice.number };
      const answer = (refunded: boolean) => ({
        ...intentResult(intent),
        refundReference: intent.refundReference ?? null,
        refunded,
        ...notice,
      });
      if (intent.status !== 'canceled' || intent.failureCode !== 'confirmation_timeout') return answer(false);
      const refund = await provider.refundIntent(
        { em: ctx.em, tenantId: ctx.tenantId, now: ctx.now, signal: ctx.signal },
        {
          reference: intent.providerReference,
          amount: intent.amount,
          currency: intent.currency,
          idempotencyKey: `billing.refundLateCapture:${intent.id}`,
        },
      );
      return inOwnTransaction(ctx, provider, async ({ em }) => {
        const locked = await findInTenantOrFail(em, PaymentIntent, { id: intent.id, tenant: ctx.tenantId }, `payment intent ${intent.id}`, {
          lock: true,
        });
        Object.assign(locked, { status: 'refunded', refundReference: refund.reference, refundedAt: ctx.now });
        await em.flush();
        return { ...intentResult(locked), refundReference: refund.reference, refunded: true, ...notice };
      });
    },
  });
}
