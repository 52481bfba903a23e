import { Migration } from '@mikro-orm/migrations';
import { dropTenantPolicySql, tenantColumnPolicySql } from '../auth/tenant-policies.js';

/** Issue 18, lead_to_opportunity: opportunities moved through the pipeline's stages, and owners' follow-up tasks. */
export class Migration20261202220000_opportunities extends Migration {
  override async up(): Promise<void> {
    this
      .addSql(`create table "opportunities" ("id" uuid not null, "tenant_id" uuid not null, "lead_id" uuid not null, "customer_id" uuid not null,
      "name" text not null, "amount" bigint not null, "currency" text not null, "region" text not null, "owner" text not null,
      "stage" text check ("stage" in ('prospect', 'qualification', 'proposal', 'negotiation', 'closed_won', 'closed_lost')) not null default 'prospect',
      "probability" int not null default 10, "expected_close_date" date null, "created_at" timestamptz not null, "stage_changed_at" timestamptz not null,
      "closed_at" timestamptz null, constraint "opportunities_pkey" primary key ("id"),
      constraint opportunities_amount_check check (amount > 0), constraint opportunities_currency_check check (currency ~ '^[A-Z]{3}$'),
      constraint opportunities_probability_check check (probability >= 0 and probability <= 100));`);
    this.addSql(`alter table "opportunities" add constraint "opportunities_lead_id_unique" unique ("lead_id");`);
    this.addSql(`create index "opportunities_tenant_id_stage_index" on "opportunities" ("tenant_id", "stage");`);
    this.addSql(
      `alter table "opportunities" add constraint "opportunities_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "opportunities" add constraint "opportunities_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "opportunities" add constraint "opportunities_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete restrict;`,
    );

    this
      .addSql(`create table "follow_up_tasks" ("id" uuid not null, "tenant_id" uuid not null, "opportunity_id" uuid not null, "owner" text not null,
      "title" text not null, "status" text check ("status" in ('open', 'done')) not null default 'open', "idempotency_key" text not null,
      "due_at" timestamptz not null, "created_at" timestamptz not null, constraint "follow_up_tasks_pkey" primary key ("id"));`);
    this.addSql(
      `alter table "follow_up_tasks" add constraint "follow_up_tasks_tenant_id_idempotency_key_unique" unique ("tenant_id", "idempotency_key");`,
    );
    this.addSql(`create index "follow_up_tasks_tenant_id_owner_status_index" on "follow_up_tasks" ("tenant_id", "owner", "status");`);
    this.addSql(
      `alter table "follow_up_tasks" add constraint "follow_up_tasks_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "follow_up_tasks" add constraint "follow_up_tasks_opportunity_id_foreign" foreign key ("opportunity_id") references "opportunities" ("id") on update cascade on delete restrict;`,
    );
    for (const table of ['opportunities', 'follow_up_tasks']) for (const sql of tenantColumnPolicySql(table)) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const table of ['follow_up_tasks', 'opportunities']) for (const sql of dropTenantPolicySql(table)) this.addSql(sql);
    this.addSql('drop table if exists "follow_up_tasks";');
    this.addSql('drop table if exists "opportunities";');
  }
}
