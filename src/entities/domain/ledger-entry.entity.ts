import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';
import { currencyCheck, moneyType } from './money.js';

/**
 * A charge captured by the built-in ledger payment provider: the provider's own book, one entry per
 * idempotency key, kept apart from `payments` as an external provider's records would be.
 */
@Entity({ tableName: 'payment_ledger_entries' })
@Unique({ properties: ['tenant', 'idempotencyKey'] })
@Check({ name: 'payment_ledger_entries_amount_check', expression: 'amount > 0' })
@Check({ name: 'payment_ledger_entries_currency_check', expression: currencyCheck() })
export class LedgerEntry {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @Property({ type: 'text' })
  idempotencyKey!: string;

  /** What the provider hands back as `providerReference`: `ldg_…`. */
  @Property({ type: 'text', unique: true })
  reference!: string;

  /** A refund is booked with its positive amount, beside the capture it gives back. */
  @Enum({ items: () => ['capture', 'refund'], type: 'text', default: 'capture' })
  kind: ('capture' | 'refund') & Opt = 'capture';

  @Property({ type: moneyType() })
  amount!: number;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'text' })
  method!: string;

  @Property({ type: 'text', nullable: true })
  description?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
