import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Customer } from '../customer.entity.js';
import type { JsonObject } from '../json.js';
import { Tenant } from '../tenant.entity.js';

/** A customer's router as the ACS knows it, with what its last provisioning did. */
@Entity({ tableName: 'cpe_devices' })
@Unique({ properties: ['tenant', 'serial'] })
export class CpeDevice {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Customer, { ref: true, fieldName: 'customer_id', nullable: true })
  customer?: Ref<Customer>;

  @Property({ type: 'text' })
  serial!: string;

  /** GenieACS's device id (`<OUI>-<ProductClass>-<SerialNumber>`). */
  @Property({ type: 'text', nullable: true })
  acsDeviceId?: string;

  @Property({ type: 'text', nullable: true })
  lastProvisionKey?: string;

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  lastProvisionResult?: JsonObject;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastProvisionedAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
