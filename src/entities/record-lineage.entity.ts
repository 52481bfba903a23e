import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** The domain records whose lineage is kept: what `createdBy` and `executions(filter: { touching })` answer for. */
export const RECORD_TYPES = [
  'customer',
  'subscription',
  'license',
  'deployment',
  'allocation',
  'order',
  'ticket',
  'lead',
  'quote',
  'invoice',
  'payment',
  'payment_intent',
  'partner',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export const LINEAGE_ACTIONS = ['created', 'updated'] as const;
export type LineageAction = (typeof LINEAGE_ACTIONS)[number];

/**
 * Which run, and which of its steps, created or changed a domain record. Written by the engine in the
 * transaction that made the change (engine/store/lineage-recorder.ts), never by a request: a record
 * changed through the API has no row. The primary key serves "which runs touched this record" and makes
 * a step that touches a record again (a retry) add nothing; the execution index serves "what did this
 * run touch".
 */
@Entity({ tableName: 'record_lineage' })
export class RecordLineage {
  @PrimaryKey({ type: 'uuid' })
  tenantId!: string;

  @Enum({ items: () => [...RECORD_TYPES], type: 'text', primary: true })
  recordType!: RecordType;

  @PrimaryKey({ type: 'uuid' })
  recordId!: string;

  @Index()
  @PrimaryKey({ type: 'uuid' })
  executionId!: string;

  @PrimaryKey({ type: 'text' })
  stepKey!: string;

  @Enum({ items: () => [...LINEAGE_ACTIONS], type: 'text', primary: true })
  action!: LineageAction;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  at!: Date;
}
