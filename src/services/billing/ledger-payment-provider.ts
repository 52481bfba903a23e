import { LedgerEntry } from '../../entities/domain/ledger-entry.entity.js';
import { AppError } from '../../errors.js';
import { randomCrockford } from '../shared/identifiers.js';
import type { PaymentChargeRequest, PaymentChargeResult, PaymentProvider, PaymentProviderContext } from './payment-provider.js';

/** Largest single charge per payment method, in minor units of the charge's currency. */
export const DEFAULT_LEDGER_LIMITS: Readonly<Record<string, number>> = {
  card: 5_000_000,
  bank_transfer: 100_000_000,
  sepa_debit: 10_000_000,
  invoice: 50_000_000,
  // A test method that is always declined, like the processors' test cards.
  declined_card: 0,
};

export interface LedgerPaymentProviderOptions {
  /** Replaces the default per-method limits; a method not listed is refused (VALIDATION). */
  limits?: Readonly<Record<string, number>>;
}

/**
 * The built-in provider: it captures charges into `payment_ledger_entries`, in the caller's transaction, and
 * declines deterministically — `declined_card` always, any method above its per-charge limit — so a retry
 * gets the same answer and workflows can be exercised end to end without a card processor.
 */
export function createLedgerPaymentProvider(options: LedgerPaymentProviderOptions = {}): PaymentProvider {
  const limits = options.limits ?? DEFAULT_LEDGER_LIMITS;

  return {
    name: 'ledger',
    async charge(ctx: PaymentProviderContext, request: PaymentChargeRequest): Promise<PaymentChargeResult> {
      const previous = await ctx.em.findOne(LedgerEntry, { tenant: ctx.tenantId, idempotencyKey: request.idempotencyKey });
      if (previous) {
        if (previous.amount !== request.amount || previous.currency !== request.currency || previous.method !== request.paymentMethod) {
          throw new AppError('CONFLICT', `idempotency key ${request.idempotencyKey} was used for a different charge`);
        }
        return { status: 'succeeded', providerReference: previous.reference };
      }

      const limit = limits[request.paymentMethod];
      if (limit === undefined) {
        throw new AppError('VALIDATION', `payment method ${request.paymentMethod} is not supported (${Object.keys(limits).join(', ')})`);
      }
      if (request.paymentMethod === 'declined_card') {
        return { status: 'declined', providerReference: null, declineCode: 'card_declined', message: 'the card was declined' };
      }
      if (request.amount > limit) {
        return {
          status: 'declined',
          providerReference: null,
          declineCode: 'amount_over_limit',
          message: `${request.amount} exceeds the ${request.paymentMethod} limit of ${limit} per charge`,
        };
      }

      const entry = ctx.em.create(LedgerEntry, {
        tenant: ctx.tenantId,
        idempotencyKey: request.idempotencyKey,
        reference: `ldg_${randomCrockford(20)}`,
        amount: request.amount,
        currency: request.currency,
        method: request.paymentMethod,
        description: request.description,
        createdAt: ctx.now,
      });
      await ctx.em.flush();
      return { status: 'succeeded', providerReference: entry.reference };
    },
  };
}
