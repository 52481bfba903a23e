import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Customer } from '../customer.entity.js';
import { Tenant } from '../tenant.entity.js';
import { Lead } from './lead.entity.js';
import { currencyCheck, moneyType } from './money.js';

/** The pipeline, in order; `closed_won` and `closed_lost` end it. */
export const OPPORTUNITY_STAGES = ['prospect', 'qualification', 'proposal', 'negotiation', 'closed_won', 'closed_lost'] as const;
export type OpportunityStage = (typeof OPPORTUNITY_STAGES)[number];
export const CLOSED_STAGES: ReadonlySet<string> = new Set<OpportunityStage>(['closed_won', 'closed_lost']);

/** The probability (percent) each stage carries, set with the stage. */
export const STAGE_PROBABILITY: Readonly<Record<OpportunityStage, number>> = {
  prospect: 10,
  qualification: 25,
  proposal: 50,
  negotiation: 75,
  closed_won: 100,
  closed_lost: 0,
};

/** A deal made from a converted lead (one per lead), moved through the stages; each move is a domain event. */
@Entity({ tableName: 'opportunities' })
@Unique({ properties: ['lead'] })
@Index({ properties: ['tenant', 'stage'] })
// The hourly stalled-opportunity scan (workflows/stalled-opportunities.ts): open deals by their last move, across tenants.
@Index({
  name: 'opportunities_open_stage_changed_at_index',
  expression: `create index "opportunities_open_stage_changed_at_index" on "opportunities" ("stage_changed_at", "id") where "stage" not in ('closed_won', 'closed_lost')`,
})
@Check({ name: 'opportunities_amount_check', expression: 'amount > 0' })
@Check({ name: 'opportunities_currency_check', expression: currencyCheck() })
@Check({ name: 'opportunities_probability_check', expression: 'probability >= 0 and probability <= 100' })
export class Opportunity {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Lead, { ref: true, fieldName: 'lead_id', deleteRule: 'restrict' })
  lead!: Ref<Lead>;

  @ManyToOne(() => Customer, { ref: true, fieldName: 'customer_id', deleteRule: 'restrict' })
  customer!: Ref<Customer>;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: moneyType() })
  amount!: number;

  @Property({ type: 'text' })
  currency!: string;

  /** The tax region its invoice is raised for (`DE`, `US-CA`). */
  @Property({ type: 'text' })
  region!: string;

  /** Whose deal it is: a user's e-mail. Follow-up tasks go to them. */
  @Property({ type: 'text' })
  owner!: string;

  @Enum({ items: () => [...OPPORTUNITY_STAGES], type: 'text' })
  stage: OpportunityStage & Opt = 'prospect';

  @Property({ type: 'integer' })
  probability: number & Opt = STAGE_PROBABILITY.prospect;

  @Property({ type: 'date', nullable: true })
  expectedCloseDate?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  stageChangedAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  closedAt?: Date;
}
