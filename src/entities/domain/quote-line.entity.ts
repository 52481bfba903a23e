import { randomUUID } from 'node:crypto';
import { Check, Entity, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';
import { moneyType } from './money.js';
import { Plan } from './plan.entity.js';
import { Quote } from './quote.entity.js';

/** A line of a quote; `amount` is always `quantity × unitPriceAmount` (the database checks it). */
@Entity({ tableName: 'quote_lines' })
@Unique({ properties: ['quote', 'position'] })
@Check({ name: 'quote_lines_quantity_check', expression: 'quantity > 0' })
@Check({ name: 'quote_lines_unit_price_amount_check', expression: 'unit_price_amount >= 0' })
@Check({ name: 'quote_lines_amount_check', expression: 'amount = quantity * unit_price_amount' })
export class QuoteLine {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Quote, { ref: true, fieldName: 'quote_id', deleteRule: 'cascade' })
  quote!: Ref<Quote>;

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
