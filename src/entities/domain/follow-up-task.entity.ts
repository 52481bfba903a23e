import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';
import { Opportunity } from './opportunity.entity.js';

export const TASK_STATUSES = ['open', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Something an owner must do about a deal, made when a stage waited too long. One per call key. */
@Entity({ tableName: 'follow_up_tasks' })
@Unique({ properties: ['tenant', 'idempotencyKey'] })
@Index({ properties: ['tenant', 'owner', 'status'] })
export class FollowUpTask {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Opportunity, { ref: true, fieldName: 'opportunity_id', deleteRule: 'restrict' })
  opportunity!: Ref<Opportunity>;

  @Property({ type: 'text' })
  owner!: string;

  @Property({ type: 'text' })
  title!: string;

  @Enum({ items: () => [...TASK_STATUSES], type: 'text' })
  status: TaskStatus & Opt = 'open';

  @Property({ type: 'text' })
  idempotencyKey!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  dueAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
