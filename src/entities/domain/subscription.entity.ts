import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Customer } from '../customer.entity.js';
import { Tenant } from '../tenant.entity.js';
import { Plan } from './plan.entity.js';

export const SUBSCRIPTION_STATUSES = ['active', 'cancelled', 'expired'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/**
 * A customer's subscription to a plan. Whether it is in its grace period is derived from the period end
 * and the plan's grace days, not stored. At most one active subscription per customer and plan.
 */
@Entity({ tableName: 'subscriptions' })
@Index({ properties: ['tenant', 'customer'] })
@Index({ properties: ['tenant', 'currentPeriodEnd'] })
@Index({
  name: 'subscriptions_customer_id_plan_id_active_unique',
  expression: `create unique index "subscriptions_customer_id_plan_id_active_unique" on "subscriptions" ("customer_id", "plan_id") where "status" = 'active'`,
})
@Check({ name: 'subscriptions_period_check', expression: 'current_period_end > current_period_start' })
export class Subscription {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Customer, { ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @ManyToOne(() => Plan, { ref: true, fieldName: 'plan_id' })
  plan!: Ref<Plan>;

  @Enum({ items: () => [...SUBSCRIPTION_STATUSES], type: 'text' })
  status: SubscriptionStatus & Opt = 'active';

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  currentPeriodStart!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  currentPeriodEnd!: Date;

  /** The payment method renewals are charged to. */
  @Property({ type: 'text' })
  paymentMethod: string & Opt = 'card';

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  cancelledAt?: Date;
}
