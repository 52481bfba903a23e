import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceEffects } from '../registry.js';

/** What an asynchronous payment asks of a provider. Amounts are integer minor units. */
export interface CreateIntentRequest {
  /** The same key is the same intent: a provider creates it at most once and answers the same again. */
  idempotencyKey: string;
  amount: number;
  currency: string;
  paymentMethod: string;
  description: string;
  metadata: Record<string, string>;
}

/**
 * The provider took the intent; how it ends arrives later in its signed webhook (`payment_intent.succeeded`,
 * `.payment_failed`), which is the only word the workflow takes for it.
 */
export interface CreatedIntent {
  /** The provider's id of the intent (`ldi_…`, `pi_…`): its webhooks name it. */
  reference: string;
}

export interface IntentProviderContext {
  /** The step's transaction for a provider whose books are in our database (`effects: 'local'`); a fork otherwise. */
  em: EntityManager;
  tenantId: string;
  now: Date;
  signal: AbortSignal;
}

/**
 * The port of asynchronous payments (a payment intent confirmed by webhook): the built-in ledger in its
 * asynchronous mode, or a card processor behind an adapter (Stripe's API). A provider that cannot be
 * reached throws AppError EXTERNAL_UNAVAILABLE (retried with the same key); a request it refuses as
 * malformed, VALIDATION. A decline is not an error here: the provider's webhook reports it.
 */
export interface PaymentIntentProvider {
  readonly name: string;
  /** `local`: its records are rows in our database, written in the step's transaction; `external`: another system. */
  readonly effects: Exclude<ServiceEffects, 'none'>;
  createIntent(ctx: IntentProviderContext, request: CreateIntentRequest): Promise<CreatedIntent>;
  /** Gives up an intent not yet settled (idempotent); one already settled is left as it is. */
  cancelIntent(ctx: IntentProviderContext, request: { reference: string; idempotencyKey: string }): Promise<void>;
  /**
   * Gives back the whole of a captured intent (a capture that came after we gave up on it). The same key is
   * the same refund: asked again, the provider answers the refund it made.
   */
  refundIntent(
    ctx: IntentProviderContext,
    request: { reference: string; amount: number; currency: string; idempotencyKey: string },
  ): Promise<{ reference: string }>;
}
