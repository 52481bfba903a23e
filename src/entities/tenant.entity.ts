import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

/** The range of a tenant's own concurrency limit (as a workflow's `concurrency.limit`). */
export const MIN_TENANT_CONCURRENCY_LIMIT = 1;
export const MAX_TENANT_CONCURRENCY_LIMIT = 10_000;

@Entity({ tableName: 'tenants' })
export class Tenant {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @Property({ type: 'text', unique: true })
  slug!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  /** Set: its users and API keys are refused (TENANT_SUSPENDED) until a platform admin lifts it. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  suspendedAt?: Date | null;

  /** Its own limit of top-level runs in progress (flow control); null: the deployment's, if any. */
  @Property({ type: 'integer', nullable: true })
  concurrencyLimit?: number | null;
}
