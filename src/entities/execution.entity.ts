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
// The run queue (CLAIM) and the recovery scan (RECOVER) in engine/store/sql.ts.
@Index({
  name: 'executions_runnable_index',
  expression: `create index "executions_runnable_index" on "executions" ("wake_at") where "status" in ('pending', 'running', 'waiting') and "lease_owner" is null`,
})
@Index({
  name: 'executions_leased_index',
  expression: `create index "executions_leased_index" on "executions" ("lease_expires_at") where "status" in ('pending', 'running', 'waiting') and "lease_owner" is not null`,
})
// Flow control (engine/flow-control.ts): slots in use per concurrency group and per tenant, and the queue.
@Index({
  name: 'executions_slot_holders_index',
  expression: `create index "executions_slot_holders_index" on "executions" ("workflow_id", "concurrency_key") where "concurrency_limit" is not null and "status" in ('pending', 'running', 'waiting', 'paused')`,
})
@Index({
  name: 'executions_tenant_holders_index',
  expression: `create index "executions_tenant_holders_index" on "executions" ("tenant_id") where "parent_execution_id" is null and "status" in ('pending', 'running', 'waiting', 'paused')`,
})
@Index({
  name: 'executions_queued_index',
  expression: `create index "executions_queued_index" on "executions" ("tenant_id", "priority" desc, "created_at", "id") where "status" = 'queued'`,
})
// A sub-workflow's children: only runs that have a parent (most have none, and their rows need no entry).
@Index({
  name: 'executions_parent_execution_id_index',
  expression: `create index "executions_parent_execution_id_index" on "executions" ("parent_execution_id") where "parent_execution_id" is not null`,
})
@Index({
  name: 'executions_tenant_id_idempotency_key_unique',
  expression:
    'create unique index "executions_tenant_id_idempotency_key_unique" on "executions" ("tenant_id", "idempotency_key") where "idempotency_key" is not null',
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

  /** Set on a sub-workflow's run: the execution and step waiting for it. */
  @Property({ type: 'uuid', nullable: true })
  parentExecutionId?: string;

  @Property({ type: 'text', nullable: true })
  parentStepKey?: string;

  /** The id of the API request that started the run, when one did (its log lines name it). */
  @Property({ type: 'text', nullable: true })
  requestId?: string;

  /** The W3C trace context (`traceparent`) of its start, when traced: the run's spans join that trace. */
  @Property({ type: 'text', nullable: true })
  traceParent?: string;

  /** Among queued runs, a higher priority starts first (then the earlier created). */
  @Property({ type: 'integer' })
  priority: number & Opt = 0;

  /** With a concurrency limit: the value of the workflow's `concurrency.key` ('' without a key). */
  @Property({ type: 'text', nullable: true })
  concurrencyKey?: string;

  /** The limit of runs in progress at once in its group, as its definition set it; null when unlimited. */
  @Property({ type: 'integer', nullable: true })
  concurrencyLimit?: number;

  /** The worker holding the lease, while it runs the execution. */
  @Property({ type: 'text', nullable: true })
  leaseOwner?: string;

  /** Fencing token: raised by every lease acquisition; every write of the holder is conditional on it. */
  @Property({ type: 'bigint', columnType: 'bigint' })
  leaseEpoch: number & Opt = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  leaseExpiresAt?: Date;

  /** When the execution is next due to run (start, timer, retry backoff); null while waiting on an event. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  wakeAt?: Date;

  /** Raised by anything that wants the lease holder to look again (cancel, pause, an event, a child run ending). */
  @Property({ type: 'integer' })
  signalSeq: number & Opt = 0;

  @Property({ type: 'boolean' })
  cancelRequested: boolean & Opt = false;

  @Property({ type: 'boolean' })
  pauseRequested: boolean & Opt = false;

  /** The sequence number of the last event in this execution's log. */
  @Property({ type: 'integer' })
  lastEventSeq: number & Opt = 0;

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
