import { randomUUID } from 'node:crypto';
import { Check, Entity, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';

/** What a license issued from it grants: a product, a number of seats, a validity (none: perpetual). */
@Entity({ tableName: 'license_templates' })
@Unique({ properties: ['tenant', 'code'] })
@Check({ name: 'license_templates_seats_check', expression: 'seats > 0' })
@Check({ name: 'license_templates_validity_days_check', expression: 'validity_days is null or validity_days > 0' })
export class LicenseTemplate {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  /** Stable name workflows can use instead of the id: `standard-license`. */
  @Property({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  product!: string;

  @Property({ type: 'integer' })
  seats!: number;

  @Property({ type: 'integer', nullable: true })
  validityDays?: number;

  @Property({ type: 'boolean' })
  active: boolean & Opt = true;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
