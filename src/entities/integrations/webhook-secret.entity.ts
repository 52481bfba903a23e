import { randomUUID } from 'node:crypto';
import { Check, Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';

/**
 * A signing secret of an inbound webhook source (`payments`…) for one tenant. A delivery to
 * `POST /webhooks/<source>` is accepted when its signature verifies with one of the source's live
 * secrets (not expired); that secret's tenant is the delivery's. Rotating gives a new secret and sets
 * the old one's `expiresAt` to the end of the overlap window, so both verify until then.
 *
 * The secret itself must be kept (an HMAC is checked with it, not with a hash of it), but no API answer
 * carries it after the one that created it: reads show `prefix` only.
 */
@Entity({ tableName: 'webhook_secrets' })
@Index({ properties: ['source', 'expiresAt'] })
@Index({ properties: ['tenant', 'source'] })
// At most one secret per tenant and source without an end: rotation ends the old one first.
@Index({
  name: 'webhook_secrets_one_live_unique',
  expression: `create unique index "webhook_secrets_one_live_unique" on "webhook_secrets" ("tenant_id", "source") where "expires_at" is null`,
})
@Check({ name: 'webhook_secrets_source_check', expression: `source ~ '^[a-z][a-z0-9_-]{0,39}$'` })
export class WebhookSecret {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @Property({ type: 'text' })
  source!: string;

  /** `whsec_<43 characters>`, the HMAC key as the provider is given it. */
  @Property({ type: 'text', lazy: true })
  secret!: string;

  /** `whsec_` and the next four characters, to tell secrets apart. */
  @Property({ type: 'text' })
  prefix!: string;

  /** `user:<id>` or `api-key:<id>`. */
  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  /** Null: live until rotated or revoked. Set: verifies until then (a rotation's overlap), never after. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  expiresAt?: Date;
}
