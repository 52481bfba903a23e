import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import type { JsonValue } from './json.js';

/**
 * The result of a local-effect service call, by idempotency key, written in the same transaction as
 * its effects: a second call with the key returns this and changes nothing.
 */
@Entity({ tableName: 'service_call_records' })
export class ServiceCallRecord {
  @PrimaryKey({ type: 'uuid' })
  tenantId!: string;

  @PrimaryKey({ type: 'text' })
  idempotencyKey!: string;

  /** `service.method` */
  @PrimaryKey({ type: 'text' })
  method!: string;

  @Property({ type: 'json', columnType: 'jsonb' })
  result!: JsonValue;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
