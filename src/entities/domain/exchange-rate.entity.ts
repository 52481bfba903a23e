import { randomUUID } from 'node:crypto';
import { Check, Entity, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { currencyCheck } from './money.js';

/**
 * How much one unit of `base` is in `quote`, in millionths (`EUR`→`USD` 1.0850 = 1085000), for invoicing
 * in another currency than the price's. Shared by every tenant, seeded by its migration; a pair not
 * listed is refused rather than guessed.
 */
@Entity({ tableName: 'exchange_rates' })
@Unique({ properties: ['base', 'quote'] })
@Check({ name: 'exchange_rates_rate_check', expression: 'rate_micros > 0' })
@Check({ name: 'exchange_rates_base_check', expression: currencyCheck('base') })
@Check({ name: 'exchange_rates_quote_check', expression: currencyCheck('quote') })
export class ExchangeRate {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @Property({ type: 'text' })
  base!: string;

  @Property({ type: 'text' })
  quote!: string;

  @Property({ type: 'bigint' })
  rateMicros!: string;
}
