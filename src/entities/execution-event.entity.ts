import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import type { JsonObject } from './json.js';

/**
 * The per-execution event log: every state change, numbered from 1 without gaps. Subscribers that missed
 * live notifications resume from it by sequence number.
 */
@Entity({ tableName: 'execution_events' })
export class ExecutionEvent {
  @PrimaryKey({ type: 'uuid' })
  executionId!: string;

  @PrimaryKey({ type: 'integer' })
  seq!: number;

  /** `execution.started`, `step.completed`, … */
  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'text', nullable: true })
  stepKey?: string;

  @Property({ type: 'json', columnType: 'jsonb' })
  payload: JsonObject & Opt = {};

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
