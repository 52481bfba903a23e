import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Customer } from '../customer.entity.js';
import { Tenant } from '../tenant.entity.js';
import { currencyCheck, moneyType } from './money.js';
import { Partner } from './partner.entity.js';

export const COMMISSION_TYPES = ['new_customer', 'renewal', 'upsell', 'referral'] as const;
export type CommissionType = (typeof COMMISSION_TYPES)[number];

export const COMMISSION_STATUSES = ['accrued', 'paid', 'void'] as const;
export type CommissionStatus = (typeof COMMISSION_STATUSES)[number];

/** A commission owed to a partner for a customer. A partner earns `new_customer` once per customer. */
@Entity({ tableName: 'partner_commissions' })
@Index({ properties: ['tenant', 'partner'] })
@Index({
  name: 'partner_commissions_partner_id_customer_id_new_customer_unique',
  expression: `create unique index "partner_commissions_partner_id_customer_id_new_customer_unique" on "partner_commissions" ("partner_id", "customer_id") where "type" = 'new_customer'`,
})
@Check({ name: 'partner_commissions_amount_check', expression: 'amount >= 0' })
@Check({ name: 'partner_commissions_currency_check', expression: currencyCheck() })
@Check({ name: 'partner_commissions_rate_bps_check', expression: 'rate_bps is null or (rate_bps >= 0 and rate_bps <= 10000)' })
export class PartnerCommission {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Partner, { ref: true, fieldName: 'partner_id' })
  partner!: Ref<Partner>;

  @ManyToOne(() => Customer, { ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @Enum({ items: () => [...COMMISSION_TYPES], type: 'text' })
  type!: CommissionType;

  @Property({ type: moneyType() })
  amount!: number;

  @Property({ type: 'text' })
  currency!: string;

  /** When computed from the partner's rate: the rate and the base it was applied to. */
  @Property({ type: 'integer', nullable: true })
  rateBps?: number;

  @Property({ type: moneyType(), nullable: true })
  baseAmount?: number;

  @Enum({ items: () => [...COMMISSION_STATUSES], type: 'text' })
  status: CommissionStatus & Opt = 'accrued';

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
