import { randomUUID } from 'node:crypto';
import { Collection, Entity, Enum, Index, ManyToOne, OneToMany, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import type { JsonObject, JsonValue, RecordedError } from './json.js';
import { EXECUTION_STATUSES, TRIGGER_TYPES, type ExecutionStatus, type TriggerType } from './statuses.js';
import { ExecutionStep } from './execution-step.entity.js';
import { Tenant } from './tenant.entity.js';
import { Workflow } from './workflow.entity.js';

/** One run of one workflow version. (tenant, idempotency key) is unique: the same key is the same run. */
@Entity({ tableName: 'executions' })
@Index({ properties: ['status', 'createdAt'] })
@Index({ properties: ['tenant', 'createdAt'] })
@Index({ properties: ['workflow', 'createdAt'] })
@Index({
  name: 'executions_tenant_id_idempotency_key_unique',
  expression: 'create unique index "executions_tenant_id_idempotency_key_unique" on "executions" ("tenant_id", "idempotency_key") where "idempotency_key" is not null',
})
export class Execution {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Workflow, { ref: true, fieldName: 'workflow_id' })
  workflow!: Ref<Workflow>;

  @Property({ type: 'integer' })
  workflowVersion!: number;

  @Enum({ items: () => Object.keys(EXECUTION_STATUSES), type: 'text' })
  status: ExecutionStatus & Opt = 'pending';

  @Property({ type: 'json', columnType: 'jsonb' })
  context: JsonObject & Opt = {};

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  result?: JsonValue;

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  error?: RecordedError;

  @Enum({ items: () => [...TRIGGER_TYPES], type: 'text' })
  triggerType: TriggerType & Opt = 'api';

  @Property({ type: 'text', nullable: true })
  triggerSource?: string;

  @Property({ type: 'text', nullable: true })
  idempotencyKey?: string;

  @OneToMany(() => ExecutionStep, (step) => step.execution)
  steps = new Collection<ExecutionStep>(this);

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  startedAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  completedAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
