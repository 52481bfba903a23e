import type { EntityManager } from '@mikro-orm/postgresql';

/** What a charge asks of a payment provider. Amounts are integer minor units. */
export interface PaymentChargeRequest {
  /** The same key is the same charge: a provider charges it at most once and answers the same again. */
  idempotencyKey: string;
  amount: number;
  currency: string;
  paymentMethod: string;
  description: string;
}

export type PaymentChargeResult =
  | { status: 'succeeded'; providerReference: string }
  | { status: 'declined'; providerReference: string | null; declineCode: string; message: string };

/** The caller's transaction and clock; a provider that keeps its books in our database writes through `em`. */
export interface PaymentProviderContext {
  em: EntityManager;
  tenantId: string;
  now: Date;
  signal: AbortSignal;
}

/**
 * The port every payment provider implements (the built-in ledger; a card processor behind an adapter).
 * A decline is an answer, not an error; an unreachable provider throws AppError EXTERNAL_UNAVAILABLE (which
 * is retried with the same idempotency key); a request the provider cannot take (unknown method) throws
 * VALIDATION.
 */
export interface PaymentProvider {
  readonly name: string;
  charge(ctx: PaymentProviderContext, request: PaymentChargeRequest): Promise<PaymentChargeResult>;
}
