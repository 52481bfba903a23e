import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';

export const TAX_KINDS = ['vat', 'gst', 'sales_tax', 'none'] as const;
export type TaxKind = (typeof TAX_KINDS)[number];

/**
 * The tax an invoice to a region carries: VAT (EU, UK), GST (Australia, India, Singapore…), US state
 * sales tax. `region` is an ISO 3166 code, with the subdivision where the rate depends on it (`US-CA`).
 * `rateMicros` is the rate in millionths (19 % = 190000, 7.25 % = 72500), so tax is computed in integers.
 * A reference table shared by every tenant, seeded by its migration.
 */
@Entity({ tableName: 'tax_rates' })
@Unique({ properties: ['region'] })
@Check({ name: 'tax_rates_rate_check', expression: 'rate_micros >= 0 and rate_micros <= 1000000' })
@Check({ name: 'tax_rates_region_check', expression: `region ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'` })
export class TaxRate {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @Property({ type: 'text' })
  region!: string;

  @Enum({ items: () => [...TAX_KINDS], type: 'text' })
  kind!: TaxKind;

  /** As the invoice names it: `VAT 19 %`, `GST 10 %`, `CA sales tax 7.25 %`. */
  @Property({ type: 'text' })
  label!: string;

  @Property({ type: 'integer' })
  rateMicros!: number;
}
