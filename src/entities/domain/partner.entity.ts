import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';
import { currencyCheck, moneyType } from './money.js';

export const PARTNER_STATUSES = ['active', 'suspended'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

/**
 * A reseller with a pool of license seats it hands to its customers, and a commission rate in basis
 * points (1/100 of a percent) applied to the list price of the seats its customers hold.
 */
@Entity({ tableName: 'partners' })
@Unique({ properties: ['tenant', 'code'] })
@Check({ name: 'partners_seats_check', expression: 'seats_used >= 0 and seats_used <= seats_total' })
@Check({ name: 'partners_commission_rate_bps_check', expression: 'commission_rate_bps >= 0 and commission_rate_bps <= 10000' })
@Check({ name: 'partners_seat_price_amount_check', expression: 'seat_price_amount >= 0' })
@Check({ name: 'partners_currency_check', expression: currencyCheck() })
export class Partner {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  /** Stable name workflows can use instead of the id: `acme-reseller`. */
  @Property({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  email?: string;

  @Enum({ items: () => [...PARTNER_STATUSES], type: 'text' })
  status: PartnerStatus & Opt = 'active';

  @Property({ type: 'integer' })
  seatsTotal!: number;

  @Property({ type: 'integer' })
  seatsUsed: number & Opt = 0;

  /** List price of one seat, the base of the partner's commission. */
  @Property({ type: moneyType() })
  seatPriceAmount!: number;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'integer' })
  commissionRateBps!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
