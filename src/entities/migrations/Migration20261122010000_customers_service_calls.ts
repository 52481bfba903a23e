import { Migration } from '@mikro-orm/migrations';

/** Customers (shared by the domain services), the idempotency records of local service calls, the domain event outbox. */
export class Migration20261122010000_customers_service_calls extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "service_call_records" ("tenant_id" uuid not null, "idempotency_key" text not null, "method" text not null, "result" jsonb not null, "created_at" timestamptz not null, constraint "service_call_records_pkey" primary key ("tenant_id", "idempotency_key", "method"));`,
    );
    this.addSql(
      `create table "customers" ("id" uuid not null, "tenant_id" uuid not null, "name" text not null, "email" text not null, "company" text null, "phone" text null, "status" text check ("status" in ('active', 'inactive')) not null default 'active', "source" text check ("source" in ('lead', 'partner', 'direct')) not null default 'direct', "lead_id" uuid null, "partner_id" uuid null, "created_at" timestamptz not null, constraint "customers_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "customers_lead_id_index" on "customers" ("lead_id");`);
    this.addSql(`create index "customers_partner_id_index" on "customers" ("partner_id");`);
    this.addSql(`alter table "customers" add constraint "customers_tenant_id_email_unique" unique ("tenant_id", "email");`);
    this.addSql(
      `alter table "customers" add constraint "customers_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `create table "domain_events" ("id" uuid not null, "tenant_id" uuid not null, "name" text not null, "payload" jsonb not null, "source" text null, "occurred_at" timestamptz not null, "dispatched_at" timestamptz null, constraint "domain_events_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "domain_events_dispatched_at_occurred_at_index" on "domain_events" ("dispatched_at", "occurred_at");`);
    this.addSql(
      `alter table "domain_events" add constraint "domain_events_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "domain_events", "customers", "service_call_records" cascade;');
  }
}
