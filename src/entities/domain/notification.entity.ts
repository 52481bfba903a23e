import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import type { JsonObject } from '../json.js';
import { Tenant } from '../tenant.entity.js';

/** An in-app notification for a team (`sales`, `installations`…); `readAt` is set when someone reads it. */
@Entity({ tableName: 'notifications' })
@Index({ properties: ['tenant', 'team', 'createdAt'] })
export class Notification {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @Property({ type: 'text' })
  team!: string;

  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'text' })
  message!: string;

  @Property({ type: 'json', columnType: 'jsonb' })
  metadata: JsonObject & Opt = {};

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  readAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
