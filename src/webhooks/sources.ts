import type { EntityManager } from '@mikro-orm/postgresql';
import type { JsonObject } from '../entities/json.js';

/** What a verified delivery becomes: a domain event, or nothing (a type this source does not take). */
export type WebhookEvent = { kind: 'event'; id: string; name: string; payload: JsonObject } | { kind: 'ignored'; reason: string };

/**
 * A configured inbound webhook source: `POST /webhooks/<name>`. Deliveries are signed Stripe's way
 * (`t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`) in `signatureHeader` with one of the tenant's secrets for
 * this source. `toEvent` reads the verified body; it throws WebhookBodyError when the body is not what the
 * source sends (answered 400, nothing recorded). The event id is the provider's own: a redelivery of one
 * event is the same domain event.
 */
export interface WebhookSource {
  readonly name: string;
  /** Lower case, as node's http gives header names. */
  readonly signatureHeader: string;
  toEvent(body: unknown): WebhookEvent;
  /** What the source's own domain does with a new event, in the transaction that records it. */
  afterRecord?(em: EntityManager, tenantId: string, payload: JsonObject): Promise<void>;
}

export class WebhookBodyError extends Error {
  override readonly name = 'WebhookBodyError';
}

export const WEBHOOK_SOURCE_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;
