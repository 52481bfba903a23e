import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';

/**
 * Where a team's notifications are also posted. `secret` keys the HMAC-SHA256 signature of every
 * delivery; it is kept in clear because signing needs it (the receiver holds the same secret).
 */
@Entity({ tableName: 'team_webhooks' })
@Unique({ properties: ['tenant', 'team', 'url'] })
export class TeamWebhook {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @Property({ type: 'text' })
  team!: string;

  @Property({ type: 'text' })
  url!: string;

  @Property({ type: 'text', hidden: true })
  secret!: string;

  @Property({ type: 'boolean' })
  active: boolean & Opt = true;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
