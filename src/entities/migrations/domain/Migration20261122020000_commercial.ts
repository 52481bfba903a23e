import { Migration } from '@mikro-orm/migrations';

/**
 * The commercial services' tables: leads, plans, quotes and their lines, orders and their lines,
 * subscriptions and their events, invoices, payments and the ledger provider's entries, license templates,
 * licenses, partners with their seat pools and commissions, deployments; and the foreign keys from
 * `customers` to leads and partners. Generated from the entities (`scripts/schema-diff.mjs`).
 */
export class Migration20261122020000_commercial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "plans" ("id" uuid not null, "tenant_id" uuid not null, "code" text not null, "name" text not null, "billing_cycle" text check ("billing_cycle" in ('monthly', 'quarterly', 'annual')) not null, "price_amount" bigint not null, "currency" text not null, "grace_period_days" int not null default 14, "active" boolean not null default true, "created_at" timestamptz not null, constraint "plans_pkey" primary key ("id"), constraint plans_currency_check check (currency ~ '^[A-Z]{3}$'), constraint plans_grace_period_days_check check (grace_period_days >= 0), constraint plans_price_amount_check check (price_amount >= 0));`,
    );
    this.addSql(`alter table "plans" add constraint "plans_tenant_id_code_unique" unique ("tenant_id", "code");`);
    this.addSql(
      `create table "partners" ("id" uuid not null, "tenant_id" uuid not null, "code" text not null, "name" text not null, "email" text null, "status" text check ("status" in ('active', 'suspended')) not null default 'active', "seats_total" int not null, "seats_used" int not null default 0, "seat_price_amount" bigint not null, "currency" text not null, "commission_rate_bps" int not null, "created_at" timestamptz not null, constraint "partners_pkey" primary key ("id"), constraint partners_currency_check check (currency ~ '^[A-Z]{3}$'), constraint partners_seat_price_amount_check check (seat_price_amount >= 0), constraint partners_commission_rate_bps_check check (commission_rate_bps >= 0 and commission_rate_bps <= 10000), constraint partners_seats_check check (seats_used >= 0 and seats_used <= seats_total));`,
    );
    this.addSql(`alter table "partners" add constraint "partners_tenant_id_code_unique" unique ("tenant_id", "code");`);
    this.addSql(
      `create table "license_templates" ("id" uuid not null, "tenant_id" uuid not null, "code" text not null, "name" text not null, "product" text not null, "seats" int not null, "validity_days" int null, "active" boolean not null default true, "created_at" timestamptz not null, constraint "license_templates_pkey" primary key ("id"), constraint license_templates_validity_days_check check (validity_days is null or validity_days > 0), constraint license_templates_seats_check check (seats > 0));`,
    );
    this.addSql(`alter table "license_templates" add constraint "license_templates_tenant_id_code_unique" unique ("tenant_id", "code");`);
    this.addSql(
      `create table "payment_ledger_entries" ("id" uuid not null, "tenant_id" uuid not null, "idempotency_key" text not null, "reference" text not null, "amount" bigint not null, "currency" text not null, "method" text not null, "description" text null, "created_at" timestamptz not null, constraint "payment_ledger_entries_pkey" primary key ("id"), constraint payment_ledger_entries_currency_check check (currency ~ '^[A-Z]{3}$'), constraint payment_ledger_entries_amount_check check (amount > 0));`,
    );
    this.addSql(`alter table "payment_ledger_entries" add constraint "payment_ledger_entries_reference_unique" unique ("reference");`);
    this.addSql(
      `alter table "payment_ledger_entries" add constraint "payment_ledger_entries_tenant_id_idempotency_key_unique" unique ("tenant_id", "idempotency_key");`,
    );
    this.addSql(
      `create table "leads" ("id" uuid not null, "tenant_id" uuid not null, "name" text not null, "email" text not null, "company" text null, "phone" text null, "source" text null, "status" text check ("status" in ('new', 'contacted', 'qualified', 'converted', 'lost')) not null default 'new', "qualified_at" timestamptz null, "converted_at" timestamptz null, "created_at" timestamptz not null, constraint "leads_pkey" primary key ("id"), constraint leads_converted_at_check check (status <> 'converted' or converted_at is not null));`,
    );
    this.addSql(`create index "leads_tenant_id_status_index" on "leads" ("tenant_id", "status");`);
    this.addSql(
      `create table "subscriptions" ("id" uuid not null, "tenant_id" uuid not null, "customer_id" uuid not null, "plan_id" uuid not null, "status" text check ("status" in ('active', 'cancelled', 'expired')) not null default 'active', "current_period_start" timestamptz not null, "current_period_end" timestamptz not null, "payment_method" text not null default 'card', "created_at" timestamptz not null, "cancelled_at" timestamptz null, constraint "subscriptions_pkey" primary key ("id"), constraint subscriptions_period_check check (current_period_end > current_period_start));`,
    );
    this.addSql(
      `create unique index "subscriptions_customer_id_plan_id_active_unique" on "subscriptions" ("customer_id", "plan_id") where "status" = 'active';`,
    );
    this.addSql(`create index "subscriptions_tenant_id_current_period_end_index" on "subscriptions" ("tenant_id", "current_period_end");`);
    this.addSql(`create index "subscriptions_tenant_id_customer_id_index" on "subscriptions" ("tenant_id", "customer_id");`);
    this.addSql(
      `create table "quotes" ("id" uuid not null, "tenant_id" uuid not null, "number" text not null, "customer_id" uuid not null, "lead_id" uuid null, "kind" text check ("kind" in ('new', 'renewal')) not null default 'new', "status" text check ("status" in ('draft', 'sent', 'accepted', 'rejected', 'expired')) not null default 'draft', "currency" text not null, "total_amount" bigint not null, "valid_until" timestamptz not null, "sent_at" timestamptz null, "accepted_at" timestamptz null, "accepted_by" text null, "subscription_id" uuid null, "term_months" int null, "renewal_period_end" timestamptz null, "created_at" timestamptz not null, constraint "quotes_pkey" primary key ("id"), constraint quotes_accepted_check check (status <> 'accepted' or accepted_at is not null), constraint quotes_renewal_check check (kind <> 'renewal' or (subscription_id is not null and term_months is not null and renewal_period_end is not null)), constraint quotes_currency_check check (currency ~ '^[A-Z]{3}$'), constraint quotes_total_amount_check check (total_amount >= 0));`,
    );
    this.addSql(`create index "quotes_subscription_id_index" on "quotes" ("subscription_id");`);
    this.addSql(`create index "quotes_tenant_id_customer_id_index" on "quotes" ("tenant_id", "customer_id");`);
    this.addSql(`alter table "quotes" add constraint "quotes_tenant_id_number_unique" unique ("tenant_id", "number");`);
    this.addSql(
      `create table "subscription_events" ("id" uuid not null, "tenant_id" uuid not null, "subscription_id" uuid not null, "type" text check ("type" in ('created', 'extended', 'cancelled')) not null, "period_end_before" timestamptz null, "period_end_after" timestamptz null, "quote_id" uuid null, "data" jsonb not null, "occurred_at" timestamptz not null, constraint "subscription_events_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create unique index "subscription_events_subscription_id_quote_id_extended_unique" on "subscription_events" ("subscription_id", "quote_id") where "type" = 'extended' and "quote_id" is not null;`,
    );
    this.addSql(
      `create index "subscription_events_subscription_id_occurred_at_index" on "subscription_events" ("subscription_id", "occurred_at");`,
    );
    this.addSql(
      `create table "quote_lines" ("id" uuid not null, "tenant_id" uuid not null, "quote_id" uuid not null, "position" int not null, "description" text not null, "product_code" text null, "plan_id" uuid null, "quantity" int not null, "unit_price_amount" bigint not null, "amount" bigint not null, constraint "quote_lines_pkey" primary key ("id"), constraint quote_lines_amount_check check (amount = quantity * unit_price_amount), constraint quote_lines_unit_price_amount_check check (unit_price_amount >= 0), constraint quote_lines_quantity_check check (quantity > 0));`,
    );
    this.addSql(`alter table "quote_lines" add constraint "quote_lines_quote_id_position_unique" unique ("quote_id", "position");`);
    this.addSql(
      `create table "partner_commissions" ("id" uuid not null, "tenant_id" uuid not null, "partner_id" uuid not null, "customer_id" uuid not null, "type" text check ("type" in ('new_customer', 'renewal', 'upsell', 'referral')) not null, "amount" bigint not null, "currency" text not null, "rate_bps" int null, "base_amount" bigint null, "status" text check ("status" in ('accrued', 'paid', 'void')) not null default 'accrued', "created_at" timestamptz not null, constraint "partner_commissions_pkey" primary key ("id"), constraint partner_commissions_rate_bps_check check (rate_bps is null or (rate_bps >= 0 and rate_bps <= 10000)), constraint partner_commissions_currency_check check (currency ~ '^[A-Z]{3}$'), constraint partner_commissions_amount_check check (amount >= 0));`,
    );
    this.addSql(
      `create unique index "partner_commissions_partner_id_customer_id_new_customer_unique" on "partner_commissions" ("partner_id", "customer_id") where "type" = 'new_customer';`,
    );
    this.addSql(`create index "partner_commissions_tenant_id_partner_id_index" on "partner_commissions" ("tenant_id", "partner_id");`);
    this.addSql(
      `create table "orders" ("id" uuid not null, "tenant_id" uuid not null, "number" text not null, "customer_id" uuid not null, "quote_id" uuid null, "status" text check ("status" in ('pending_payment', 'paid', 'cancelled')) not null default 'pending_payment', "currency" text not null, "total_amount" bigint not null, "amount_paid" bigint not null default 0, "created_at" timestamptz not null, "paid_at" timestamptz null, constraint "orders_pkey" primary key ("id"), constraint orders_paid_check check (status <> 'paid' or (paid_at is not null and amount_paid = total_amount)), constraint orders_currency_check check (currency ~ '^[A-Z]{3}$'), constraint orders_amount_paid_check check (amount_paid >= 0 and amount_paid <= total_amount), constraint orders_total_amount_check check (total_amount >= 0));`,
    );
    this.addSql(`alter table "orders" add constraint "orders_quote_id_unique" unique ("quote_id");`);
    this.addSql(`create index "orders_tenant_id_customer_id_index" on "orders" ("tenant_id", "customer_id");`);
    this.addSql(`alter table "orders" add constraint "orders_tenant_id_number_unique" unique ("tenant_id", "number");`);
    this.addSql(
      `create table "order_lines" ("id" uuid not null, "tenant_id" uuid not null, "order_id" uuid not null, "position" int not null, "description" text not null, "product_code" text null, "plan_id" uuid null, "quantity" int not null, "unit_price_amount" bigint not null, "amount" bigint not null, constraint "order_lines_pkey" primary key ("id"), constraint order_lines_amount_check check (amount = quantity * unit_price_amount), constraint order_lines_unit_price_amount_check check (unit_price_amount >= 0), constraint order_lines_quantity_check check (quantity > 0));`,
    );
    this.addSql(`alter table "order_lines" add constraint "order_lines_order_id_position_unique" unique ("order_id", "position");`);
    this.addSql(
      `create table "licenses" ("id" uuid not null, "tenant_id" uuid not null, "customer_id" uuid not null, "template_id" uuid null, "partner_id" uuid null, "key" text not null, "seats" int not null, "status" text check ("status" in ('active', 'revoked', 'expired')) not null default 'active', "issued_at" timestamptz not null, "expires_at" timestamptz null, constraint "licenses_pkey" primary key ("id"), constraint licenses_origin_check check (template_id is not null or partner_id is not null), constraint licenses_seats_check check (seats > 0));`,
    );
    this.addSql(`alter table "licenses" add constraint "licenses_key_unique" unique ("key");`);
    this.addSql(
      `create unique index "licenses_partner_id_customer_id_unique" on "licenses" ("partner_id", "customer_id") where "partner_id" is not null;`,
    );
    this.addSql(
      `create unique index "licenses_customer_id_template_id_active_unique" on "licenses" ("customer_id", "template_id") where "status" = 'active' and "template_id" is not null;`,
    );
    this.addSql(`create index "licenses_tenant_id_customer_id_index" on "licenses" ("tenant_id", "customer_id");`);
    this.addSql(
      `create table "invoices" ("id" uuid not null, "tenant_id" uuid not null, "number" text not null, "customer_id" uuid not null, "subscription_id" uuid null, "quote_id" uuid null, "status" text check ("status" in ('open', 'paid', 'void')) not null default 'open', "amount" bigint not null, "currency" text not null, "issued_at" timestamptz not null, "due_at" timestamptz not null, "paid_at" timestamptz null, constraint "invoices_pkey" primary key ("id"), constraint invoices_paid_check check (status <> 'paid' or paid_at is not null), constraint invoices_currency_check check (currency ~ '^[A-Z]{3}$'), constraint invoices_amount_check check (amount >= 0));`,
    );
    this.addSql(`alter table "invoices" add constraint "invoices_quote_id_unique" unique ("quote_id");`);
    this.addSql(`create index "invoices_tenant_id_customer_id_status_index" on "invoices" ("tenant_id", "customer_id", "status");`);
    this.addSql(`alter table "invoices" add constraint "invoices_tenant_id_number_unique" unique ("tenant_id", "number");`);
    this.addSql(
      `create table "payments" ("id" uuid not null, "tenant_id" uuid not null, "customer_id" uuid not null, "order_id" uuid null, "invoice_id" uuid null, "amount" bigint not null, "currency" text not null, "method" text not null, "provider" text not null, "provider_reference" text not null, "idempotency_key" text not null, "status" text check ("status" in ('succeeded', 'refunded')) not null default 'succeeded', "created_at" timestamptz not null, constraint "payments_pkey" primary key ("id"), constraint payments_target_check check (num_nonnulls(order_id, invoice_id) = 1), constraint payments_currency_check check (currency ~ '^[A-Z]{3}$'), constraint payments_amount_check check (amount > 0));`,
    );
    this.addSql(`create index "payments_tenant_id_customer_id_index" on "payments" ("tenant_id", "customer_id");`);
    this.addSql(`create index "payments_invoice_id_index" on "payments" ("invoice_id");`);
    this.addSql(`create index "payments_order_id_index" on "payments" ("order_id");`);
    this.addSql(
      `alter table "payments" add constraint "payments_tenant_id_idempotency_key_unique" unique ("tenant_id", "idempotency_key");`,
    );
    this.addSql(
      `create table "deployments" ("id" uuid not null, "tenant_id" uuid not null, "customer_id" uuid not null, "license_id" uuid null, "order_id" uuid null, "partner_id" uuid null, "type" text check ("type" in ('shared', 'dedicated')) null, "status" text check ("status" in ('scheduled', 'provisioned', 'cancelled')) not null, "priority" text check ("priority" in ('low', 'normal', 'high', 'urgent')) null, "requested_for" date null, "scheduled_for" date null, "provisioned_tenant_id" uuid null, "tenant_url" text null, "admin_user_id" uuid null, "white_label" jsonb null, "created_at" timestamptz not null, "provisioned_at" timestamptz null, constraint "deployments_pkey" primary key ("id"), constraint deployments_scheduled_check check (status <> 'scheduled' or (scheduled_for is not null and priority is not null)), constraint deployments_provisioned_check check (status <> 'provisioned' or (provisioned_tenant_id is not null and tenant_url is not null and type is not null)));`,
    );
    this.addSql(`alter table "deployments" add constraint "deployments_license_id_unique" unique ("license_id");`);
    this.addSql(`alter table "deployments" add constraint "deployments_order_id_unique" unique ("order_id");`);
    this.addSql(`alter table "deployments" add constraint "deployments_provisioned_tenant_id_unique" unique ("provisioned_tenant_id");`);
    this.addSql(`alter table "deployments" add constraint "deployments_tenant_url_unique" unique ("tenant_url");`);
    this.addSql(`create index "deployments_tenant_id_scheduled_for_index" on "deployments" ("tenant_id", "scheduled_for");`);
    this.addSql(`create index "deployments_tenant_id_customer_id_index" on "deployments" ("tenant_id", "customer_id");`);
    this.addSql(
      `alter table "plans" add constraint "plans_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "partners" add constraint "partners_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "license_templates" add constraint "license_templates_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "payment_ledger_entries" add constraint "payment_ledger_entries_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "leads" add constraint "leads_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "subscriptions" add constraint "subscriptions_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "subscriptions" add constraint "subscriptions_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "subscriptions" add constraint "subscriptions_plan_id_foreign" foreign key ("plan_id") references "plans" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "quotes" add constraint "quotes_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "quotes" add constraint "quotes_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "quotes" add constraint "quotes_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "quotes" add constraint "quotes_subscription_id_foreign" foreign key ("subscription_id") references "subscriptions" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "subscription_events" add constraint "subscription_events_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "subscription_events" add constraint "subscription_events_subscription_id_foreign" foreign key ("subscription_id") references "subscriptions" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "subscription_events" add constraint "subscription_events_quote_id_foreign" foreign key ("quote_id") references "quotes" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "quote_lines" add constraint "quote_lines_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "quote_lines" add constraint "quote_lines_quote_id_foreign" foreign key ("quote_id") references "quotes" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "quote_lines" add constraint "quote_lines_plan_id_foreign" foreign key ("plan_id") references "plans" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "partner_commissions" add constraint "partner_commissions_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "partner_commissions" add constraint "partner_commissions_partner_id_foreign" foreign key ("partner_id") references "partners" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "partner_commissions" add constraint "partner_commissions_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_quote_id_foreign" foreign key ("quote_id") references "quotes" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "order_lines" add constraint "order_lines_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "order_lines" add constraint "order_lines_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "order_lines" add constraint "order_lines_plan_id_foreign" foreign key ("plan_id") references "plans" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "licenses" add constraint "licenses_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "licenses" add constraint "licenses_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "licenses" add constraint "licenses_template_id_foreign" foreign key ("template_id") references "license_templates" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "licenses" add constraint "licenses_partner_id_foreign" foreign key ("partner_id") references "partners" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "invoices" add constraint "invoices_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "invoices" add constraint "invoices_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "invoices" add constraint "invoices_subscription_id_foreign" foreign key ("subscription_id") references "subscriptions" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "invoices" add constraint "invoices_quote_id_foreign" foreign key ("quote_id") references "quotes" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "payments" add constraint "payments_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "payments" add constraint "payments_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "payments" add constraint "payments_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "payments" add constraint "payments_invoice_id_foreign" foreign key ("invoice_id") references "invoices" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "deployments" add constraint "deployments_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "deployments" add constraint "deployments_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "deployments" add constraint "deployments_license_id_foreign" foreign key ("license_id") references "licenses" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "deployments" add constraint "deployments_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "deployments" add constraint "deployments_partner_id_foreign" foreign key ("partner_id") references "partners" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "deployments" add constraint "deployments_provisioned_tenant_id_foreign" foreign key ("provisioned_tenant_id") references "tenants" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "deployments" add constraint "deployments_admin_user_id_foreign" foreign key ("admin_user_id") references "users" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "customers" add constraint "customers_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "customers" add constraint "customers_partner_id_foreign" foreign key ("partner_id") references "partners" ("id") on update cascade on delete restrict;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      'alter table "customers" drop constraint if exists "customers_lead_id_foreign", drop constraint if exists "customers_partner_id_foreign";',
    );
    this.addSql(
      'drop table if exists "deployments", "payments", "payment_ledger_entries", "invoices", "licenses", "license_templates", "partner_commissions", "order_lines", "orders", "subscription_events", "quote_lines", "quotes", "subscriptions", "plans", "partners", "leads" cascade;',
    );
  }
}
