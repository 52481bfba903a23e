import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import type { RecordedError } from './json.js';
import { WorkflowSchedule } from './schedule.entity.js';
import { Tenant } from './tenant.entity.js';

/**
 * What a schedule did at one tick: `started` an execution, `skipped` it (the previous run was still going
 * and the schedule's overlap policy is skip), `missed` it (it passed while no scheduler ran, and the
 * catch-up policy is skip), or `failed` to start one (e.g. its input fails the workflow's input schema).
 */
export const SCHEDULE_RUN_STATUSES = ['started', 'skipped', 'missed', 'failed'] as const;
export type ScheduleRunStatus = (typeof SCHEDULE_RUN_STATUSES)[number];

@Entity({ tableName: 'schedule_runs' })
@Unique({ properties: ['schedule', 'tickAt'] })
export class ScheduleRun {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => WorkflowSchedule, { ref: true, fieldName: 'schedule_id', deleteRule: 'cascade' })
  schedule!: Ref<WorkflowSchedule>;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  tickAt!: Date;

  @Enum({ items: () => [...SCHEDULE_RUN_STATUSES], type: 'text' })
  status!: ScheduleRunStatus;

  /** How many ticks this row stands for: more than 1 when missed ticks were caught up (or dropped) at once. */
  @Property({ type: 'integer' })
  ticks: number & Opt = 1;

  @Property({ type: 'uuid', nullable: true })
  executionId?: string;

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  error?: RecordedError;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
