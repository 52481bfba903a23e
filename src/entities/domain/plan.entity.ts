import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';
import { currencyCheck, moneyType } from './money.js';

/** Billing cycles and their length in calendar months. */
export const BILLING_CYCLES = { monthly: 1, quarterly: 3, annual: 12 } as const;
export type BillingCycle = keyof typeof BILLING_CYCLES;

/** A price list entry: `priceAmount` is charged once per billing cycle. */
@Entity({ tableName: 'plans' })
@Unique({ properties: ['tenant', 'code'] })
@Check({ name: 'plans_price_amount_check', expression: 'price_amount >= 0' })
@Check({ name: 'plans_grace_period_days_check', expression: 'grace_period_days >= 0' })
@Check({ name: 'plans_currency_check', expression: currencyCheck() })
export class Plan {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  /** Stable name workflows can use instead of the id: `basic-monthly`. */
  @Property({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  @Enum({ items: () => Object.keys(BILLING_CYCLES), type: 'text' })
  billingCycle!: BillingCycle;

  @Property({ type: moneyType() })
  priceAmount!: number;

  @Property({ type: 'text' })
  currency!: string;

  /** Days after the period end during which a subscription can still be renewed. */
  @Property({ type: 'integer' })
  gracePeriodDays: number & Opt = 14;

  @Property({ type: 'boolean' })
  active: boolean & Opt = true;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
