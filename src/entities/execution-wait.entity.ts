import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import type { JsonObject } from './json.js';

/** A `wait` step waiting for a named event; resolved by the first matching event delivered. */
@Entity({ tableName: 'execution_waits' })
@Index({
  name: 'execution_waits_open_index',
  expression: 'create index "execution_waits_open_index" on "execution_waits" ("tenant_id", "event_name") where "resolved_at" is null',
})
export class ExecutionWait {
  @PrimaryKey({ type: 'uuid' })
  executionId!: string;

  @PrimaryKey({ type: 'text' })
  stepKey!: string;

  @Property({ type: 'uuid' })
  tenantId!: string;

  @Property({ type: 'text' })
  eventName!: string;

  /** JSONata over `{ event, context, steps, … }`. */
  @Property({ type: 'text', nullable: true })
  match?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  expiresAt?: Date;

  /**
   * A `since: run` wait's start of the events it may be resumed by, set as it registers (engine/store/sql.ts);
   * null: those since its step started.
   */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  eventsSince?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  resolvedAt?: Date;

  /** Which event resolved it: read when listing the runs an event resumed. */
  @Index()
  @Property({ type: 'text', nullable: true })
  resolvedEventId?: string;

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  resolvedPayload?: JsonObject;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
