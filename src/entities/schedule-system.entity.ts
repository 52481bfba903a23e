import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import type { JsonObject } from './json.js';

/**
 * A schedule built into the scheduler rather than a workflow (the daily `subscription.expiring_soon`
 * scan): its next tick, claimed by one scheduler at a time like a workflow's.
 */
@Entity({ tableName: 'system_schedules' })
export class SystemSchedule {
  @PrimaryKey({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  cron!: string;

  @Property({ type: 'text' })
  timezone!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  nextFireAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastFiredAt?: Date;

  /** What the last run reported (e.g. how many events it recorded). */
  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  lastResult?: JsonObject;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date & Opt = new Date();
}
