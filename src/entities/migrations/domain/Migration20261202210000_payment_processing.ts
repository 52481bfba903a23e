import { Migration } from '@mikro-orm/migrations';
import { dropTenantPolicySql, tenantColumnPolicySql } from '../auth/tenant-policies.js';

/** Rates in millionths: VAT, GST and US state sales tax (base state rates) by region. */
const TAX_RATES: ReadonlyArray<[region: string, kind: string, label: string, rateMicros: number]> = [
  ['DE', 'vat', 'VAT 19 %', 190_000],
  ['FR', 'vat', 'VAT 20 %', 200_000],
  ['NL', 'vat', 'VAT 21 %', 210_000],
  ['ES', 'vat', 'VAT 21 %', 210_000],
  ['IT', 'vat', 'VAT 22 %', 220_000],
  ['IE', 'vat', 'VAT 23 %', 230_000],
  ['GB', 'vat', 'VAT 20 %', 200_000],
  ['AU', 'gst', 'GST 10 %', 100_000],
  ['NZ', 'gst', 'GST 15 %', 150_000],
  ['SG', 'gst', 'GST 9 %', 90_000],
  ['IN', 'gst', 'GST 18 %', 180_000],
  ['CA', 'gst', 'GST 5 %', 50_000],
  ['US-CA', 'sales_tax', 'CA sales tax 7.25 %', 72_500],
  ['US-NY', 'sales_tax', 'NY sales tax 4 %', 40_000],
  ['US-TX', 'sales_tax', 'TX sales tax 6.25 %', 62_500],
  ['US-WA', 'sales_tax', 'WA sales tax 6.5 %', 65_000],
  ['US-OR', 'none', 'No sales tax (OR)', 0],
];

/** One unit of the first currency in the second, in millionths (reference rates, not live quotes). */
const EXCHANGE_RATES: ReadonlyArray<[base: string, quote: string, rateMicros: number]> = [
  ['EUR', 'USD', 1_085_000],
  ['USD', 'EUR', 921_659],
  ['EUR', 'GBP', 855_000],
  ['GBP', 'EUR', 1_169_591],
  ['USD', 'GBP', 788_000],
  ['GBP', 'USD', 1_269_036],
  ['USD', 'JPY', 151_250_000],
  ['EUR', 'JPY', 164_100_000],
  ['JPY', 'USD', 6_612],
  ['USD', 'AUD', 1_520_000],
  ['EUR', 'AUD', 1_650_000],
  ['AUD', 'USD', 657_895],
  ['USD', 'INR', 83_300_000],
  ['USD', 'SGD', 1_340_000],
  ['USD', 'CAD', 1_360_000],
  ['EUR', 'CAD', 1_475_000],
];

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Issue 18, payment_processing: asynchronous payment intents settled by the provider's webhook, invoices
 * with tax (a draft until the payment is confirmed), the rates tables (seeded), and stored documents
 * (invoice PDFs).
 */
export class Migration20261202210000_payment_processing extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "invoices" drop constraint if exists "invoices_status_check";`);
    this.addSql(`alter table "invoices" add constraint "invoices_status_check" check ("status" in ('draft', 'open', 'paid', 'void'));`);
    this
      .addSql(`alter table "invoices" add column "subtotal_amount" bigint null, add column "tax_amount" bigint null, add column "tax_label" text null,
      add column "tax_region" text null, add column "tax_rate_micros" int null, add column "description" text null, add column "price_amount" bigint null,
      add column "price_currency" text null, add column "exchange_rate_micros" bigint null, add column "voided_at" timestamptz null, add column "void_reason" text null;`);
    this.addSql(
      `alter table "invoices" add constraint "invoices_tax_check" check (tax_amount is null or (subtotal_amount is not null and amount = subtotal_amount + tax_amount and tax_amount >= 0));`,
    );

    this
      .addSql(`create table "payment_intents" ("id" uuid not null, "tenant_id" uuid not null, "customer_id" uuid not null, "invoice_id" uuid not null,
      "amount" bigint not null, "currency" text not null, "method" text not null, "provider" text not null, "provider_reference" text not null,
      "idempotency_key" text not null, "status" text check ("status" in ('processing', 'succeeded', 'failed', 'canceled')) not null default 'processing',
      "failure_code" text null, "failure_message" text null, "provider_event_id" text null, "created_at" timestamptz not null, "settled_at" timestamptz null,
      constraint "payment_intents_pkey" primary key ("id"),
      constraint payment_intents_amount_check check (amount > 0), constraint payment_intents_currency_check check (currency ~ '^[A-Z]{3}$'));`);
    this.addSql(
      `alter table "payment_intents" add constraint "payment_intents_tenant_id_idempotency_key_unique" unique ("tenant_id", "idempotency_key");`,
    );
    this.addSql(
      `alter table "payment_intents" add constraint "payment_intents_provider_provider_reference_unique" unique ("provider", "provider_reference");`,
    );
    this.addSql(`create index "payment_intents_invoice_id_index" on "payment_intents" ("invoice_id");`);
    this.addSql(
      `create index "payment_intents_tenant_id_status_created_at_index" on "payment_intents" ("tenant_id", "status", "created_at");`,
    );
    this.addSql(
      `alter table "payment_intents" add constraint "payment_intents_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "payment_intents" add constraint "payment_intents_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "payment_intents" add constraint "payment_intents_invoice_id_foreign" foreign key ("invoice_id") references "invoices" ("id") on update cascade on delete restrict;`,
    );

    this
      .addSql(`create table "documents" ("id" uuid not null, "tenant_id" uuid not null, "invoice_id" uuid null, "filename" text not null, "content_type" text not null,
      "content" bytea not null, "size" int not null, "sha256" text not null, "created_at" timestamptz not null, constraint "documents_pkey" primary key ("id"));`);
    this.addSql(`alter table "documents" add constraint "documents_invoice_id_unique" unique ("invoice_id");`);
    this.addSql(`create index "documents_tenant_id_created_at_index" on "documents" ("tenant_id", "created_at");`);
    this.addSql(
      `alter table "documents" add constraint "documents_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "documents" add constraint "documents_invoice_id_foreign" foreign key ("invoice_id") references "invoices" ("id") on update cascade on delete restrict;`,
    );
    for (const table of ['payment_intents', 'documents']) for (const sql of tenantColumnPolicySql(table)) this.addSql(sql);

    this
      .addSql(`create table "tax_rates" ("id" uuid not null, "region" text not null, "kind" text check ("kind" in ('vat', 'gst', 'sales_tax', 'none')) not null,
      "label" text not null, "rate_micros" int not null, constraint "tax_rates_pkey" primary key ("id"), constraint "tax_rates_region_unique" unique ("region"),
      constraint tax_rates_rate_check check (rate_micros >= 0 and rate_micros <= 1000000), constraint tax_rates_region_check check (region ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'));`);
    this
      .addSql(`create table "exchange_rates" ("id" uuid not null, "base" text not null, "quote" text not null, "rate_micros" bigint not null,
      constraint "exchange_rates_pkey" primary key ("id"), constraint "exchange_rates_base_quote_unique" unique ("base", "quote"),
      constraint exchange_rates_rate_check check (rate_micros > 0), constraint exchange_rates_base_check check (base ~ '^[A-Z]{3}$'),
      constraint exchange_rates_quote_check check (quote ~ '^[A-Z]{3}$'));`);
    const taxRows = TAX_RATES.map(
      ([region, kind, label, rate]) => `(gen_random_uuid(), ${quote(region)}, ${quote(kind)}, ${quote(label)}, ${rate})`,
    );
    this.addSql(`insert into "tax_rates" ("id", "region", "kind", "label", "rate_micros") values ${taxRows.join(', ')};`);
    const rateRows = EXCHANGE_RATES.map(([base, to, rate]) => `(gen_random_uuid(), ${quote(base)}, ${quote(to)}, ${rate})`);
    this.addSql(`insert into "exchange_rates" ("id", "base", "quote", "rate_micros") values ${rateRows.join(', ')};`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "exchange_rates";');
    this.addSql('drop table if exists "tax_rates";');
    for (const table of ['documents', 'payment_intents']) for (const sql of dropTenantPolicySql(table)) this.addSql(sql);
    this.addSql('drop table if exists "documents";');
    this.addSql('drop table if exists "payment_intents";');
    this.addSql(`alter table "invoices" drop constraint "invoices_tax_check";`);
    this
      .addSql(`alter table "invoices" drop column "subtotal_amount", drop column "tax_amount", drop column "tax_label", drop column "tax_region",
      drop column "tax_rate_micros", drop column "description", drop column "price_amount", drop column "price_currency", drop column "exchange_rate_micros",
      drop column "voided_at", drop column "void_reason";`);
    this.addSql(`alter table "invoices" drop constraint "invoices_status_check";`);
    this.addSql(`alter table "invoices" add constraint "invoices_status_check" check ("status" in ('open', 'paid', 'void'));`);
  }
}
