import { Entity, Enum, ManyToOne, PrimaryKey, PrimaryKeyProp, Property, type Opt, type Ref } from '@mikro-orm/core';
import type { JsonValue, RecordedError } from './json.js';
import { STEP_STATUSES, type StepStatus } from './statuses.js';
import { Execution } from './execution.entity.js';

/**
 * A step of an execution, checkpointed by (execution, key) — its primary key (Migration20261205030000:
 * a surrogate id cost every checkpoint a random uuid and a second index entry per step).
 */
@Entity({ tableName: 'execution_steps' })
export class ExecutionStep {
  [PrimaryKeyProp]?: ['execution', 'key'];

  // No foreign key: the engine writes a step only beside its run's row (see Migration20261204170000).
  @ManyToOne(() => Execution, { primary: true, ref: true, fieldName: 'execution_id', createForeignKeyConstraint: false })
  execution!: Ref<Execution>;

  /** Unique within the execution; the step name for top-level steps. */
  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'integer' })
  sequence!: number;

  @Enum({ items: () => Object.keys(STEP_STATUSES), type: 'text' })
  status: StepStatus & Opt = 'pending';

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  input?: JsonValue;

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  output?: JsonValue;

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  error?: RecordedError;

  @Property({ type: 'integer' })
  attempts: number & Opt = 0;

  /** A failed attempt that will be retried: when. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  nextAttemptAt?: Date;

  /** The compensation of this step, once it ran: `{ status: 'completed' | 'failed', error?, at }`. */
  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  compensation?: JsonValue;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  startedAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  completedAt?: Date;
}
