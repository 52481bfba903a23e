import { randomUUID } from 'node:crypto';
import { ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Customer } from '../customer.entity.js';
import { Tenant } from '../tenant.entity.js';
import { moneyType } from './money.js';

/**
 * What a payment provider's transaction records, whichever way it was taken: a captured payment
 * (`payments`) or an asynchronous intent (`payment_intents`). Each table has these columns of its own;
 * the entities share their declaration. Amounts are integer minor units.
 */
export abstract class ProviderTransaction {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Customer, { ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @Property({ type: moneyType() })
  amount!: number;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'text' })
  method!: string;

  /** The provider (`ledger`, `stripe`…) and its id of the transaction (`ldi_…`, `pi_…`): what its webhooks name. */
  @Property({ type: 'text' })
  provider!: string;

  @Property({ type: 'text' })
  providerReference!: string;

  /** The key the request was sent to the provider with: one transaction per key, however often a step runs. */
  @Property({ type: 'text' })
  idempotencyKey!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
