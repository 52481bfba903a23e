import { randomUUID } from 'node:crypto';
import { Check, Entity, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';
import { moneyType } from './money.js';
import { Order } from './order.entity.js';
import { Plan } from './plan.entity.js';

/** A line of an order, copied from its quote's line. */
@Entity({ tableName: 'order_lines' })
@Unique({ properties: ['order', 'position'] })
@Check({ name: 'order_lines_quantity_check', expression: 'quantity > 0' })
@Check({ name: 'order_lines_unit_price_amount_check', expression: 'unit_price_amount >= 0' })
@Check({ name: 'order_lines_amount_check', expression: 'amount = quantity * unit_price_amount' })
export class OrderLine {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Order, { ref: true, fieldName: 'order_id', deleteRule: 'cascade' })
  order!: Ref<Order>;

  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'text', nullable: true })
  productCode?: string;

  @ManyToOne(() => Plan, { ref: true, fieldName: 'plan_id', nullable: true })
  plan?: Ref<Plan>;

  @Property({ type: 'integer' })
  quantity!: number;

  @Property({ type: moneyType() })
  unitPriceAmount!: number;

  @Property({ type: moneyType() })
  amount!: number;
}
