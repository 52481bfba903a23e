import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import type { JsonObject } from './json.js';
import { Tenant } from './tenant.entity.js';
import { Workflow } from './workflow.entity.js';

export const SCHEDULE_CATCH_UP_POLICIES = ['skip', 'once'] as const;
export const SCHEDULE_OVERLAP_POLICIES = ['allow', 'skip'] as const;

/**
 * One cron schedule of a workflow, mirrored from its current definition by the scheduler (the
 * definition says what; this row says where the schedule stands: its next tick, whether it is paused,
 * its last run). `nextFireAt` is the earliest tick not yet handled.
 */
@Entity({ tableName: 'workflow_schedules' })
@Unique({ properties: ['workflow', 'name'] })
@Index({
  name: 'workflow_schedules_due_index',
  expression:
    'create index "workflow_schedules_due_index" on "workflow_schedules" ("next_fire_at") where not "paused" and "workflow_active"',
})
export class WorkflowSchedule {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Workflow, { ref: true, fieldName: 'workflow_id', deleteRule: 'cascade' })
  workflow!: Ref<Workflow>;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  cron!: string;

  @Property({ type: 'text' })
  timezone!: string;

  @Property({ type: 'json', columnType: 'jsonb' })
  input!: JsonObject;

  @Enum({ items: () => [...SCHEDULE_CATCH_UP_POLICIES], type: 'text' })
  catchUp!: (typeof SCHEDULE_CATCH_UP_POLICIES)[number];

  @Enum({ items: () => [...SCHEDULE_OVERLAP_POLICIES], type: 'text' })
  overlap!: (typeof SCHEDULE_OVERLAP_POLICIES)[number];

  /** The runs' priority among runs queued by a concurrency limit (the definition's `priority`). */
  @Property({ type: 'integer', default: 0 })
  priority: number & Opt = 0;

  /** The workflow version whose definition this row mirrors. */
  @Property({ type: 'integer' })
  workflowVersion!: number;

  /** The workflow's `active` when last synced: a deactivated workflow's schedules do not fire. */
  @Property({ type: 'boolean' })
  workflowActive!: boolean;

  @Property({ type: 'boolean' })
  paused: boolean & Opt = false;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  nextFireAt!: Date;

  /** The last tick handled (fired, skipped or missed). */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastFiredAt?: Date;

  /** The execution the last fired tick started: what `overlap: skip` looks at. */
  @Property({ type: 'uuid', nullable: true })
  lastExecutionId?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date & Opt = new Date();
}
