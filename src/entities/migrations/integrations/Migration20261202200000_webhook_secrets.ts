import { Migration } from '@mikro-orm/migrations';
import { dropTenantPolicySql, tenantColumnPolicySql } from '../auth/tenant-policies.js';

/** Issue 18, inbound webhooks: each tenant's signing secrets per source, rotated with an overlap. */
export class Migration20261202200000_webhook_secrets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "webhook_secrets" (
      "id" uuid not null, "tenant_id" uuid not null, "source" text not null, "secret" text not null, "prefix" text not null,
      "created_by" text not null, "created_at" timestamptz not null, "expires_at" timestamptz null,
      constraint "webhook_secrets_pkey" primary key ("id"),
      constraint "webhook_secrets_source_check" check ("source" ~ '^[a-z][a-z0-9_-]{0,39}$'));`);
    this.addSql(
      `alter table "webhook_secrets" add constraint "webhook_secrets_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(`create index "webhook_secrets_source_expires_at_index" on "webhook_secrets" ("source", "expires_at");`);
    this.addSql(`create index "webhook_secrets_tenant_id_source_index" on "webhook_secrets" ("tenant_id", "source");`);
    // At most one secret per tenant and source without an end: rotation ends the old one first.
    this.addSql(
      `create unique index "webhook_secrets_one_live_unique" on "webhook_secrets" ("tenant_id", "source") where "expires_at" is null;`,
    );
    for (const sql of tenantColumnPolicySql('webhook_secrets')) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const sql of dropTenantPolicySql('webhook_secrets')) this.addSql(sql);
    this.addSql('drop table if exists "webhook_secrets" cascade;');
  }
}
