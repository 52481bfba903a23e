import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Customer } from '../customer.entity.js';
import { Tenant } from '../tenant.entity.js';
import { LicenseTemplate } from './license-template.entity.js';
import { Partner } from './partner.entity.js';

export const LICENSE_STATUSES = ['active', 'revoked', 'expired'] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

/**
 * A customer's license, issued from a template or allocated from a partner's seat pool. A customer holds
 * at most one active license per template and one license per partner (partial unique indexes).
 */
@Entity({ tableName: 'licenses' })
@Index({ properties: ['tenant', 'customer'] })
@Index({
  name: 'licenses_customer_id_template_id_active_unique',
  expression: `create unique index "licenses_customer_id_template_id_active_unique" on "licenses" ("customer_id", "template_id") where "status" = 'active' and "template_id" is not null`,
})
@Index({
  name: 'licenses_partner_id_customer_id_unique',
  expression: `create unique index "licenses_partner_id_customer_id_unique" on "licenses" ("partner_id", "customer_id") where "partner_id" is not null`,
})
@Check({ name: 'licenses_seats_check', expression: 'seats > 0' })
@Check({ name: 'licenses_origin_check', expression: 'template_id is not null or partner_id is not null' })
export class License {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Customer, { ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @ManyToOne(() => LicenseTemplate, { ref: true, fieldName: 'template_id', nullable: true, deleteRule: 'restrict' })
  template?: Ref<LicenseTemplate>;

  @ManyToOne(() => Partner, { ref: true, fieldName: 'partner_id', nullable: true, deleteRule: 'restrict' })
  partner?: Ref<Partner>;

  /** `SWY-XXXXX-XXXXX-XXXXX-XXXXX-C`: random, with a check character (see services/license/license-key.ts). */
  @Property({ type: 'text', unique: true })
  key!: string;

  @Property({ type: 'integer' })
  seats!: number;

  @Enum({ items: () => [...LICENSE_STATUSES], type: 'text' })
  status: LicenseStatus & Opt = 'active';

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  issuedAt!: Date;

  /** None: perpetual. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  expiresAt?: Date;
}
