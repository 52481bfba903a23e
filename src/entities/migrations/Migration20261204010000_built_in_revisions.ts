import { Migration } from '@mikro-orm/migrations';
import { dropTenantPolicySql, tenantColumnPolicySql } from './auth/tenant-policies.js';

/** The built-in workflows there were when revisions began to be kept: a database may hold any of them. */
const BUILT_INS_BEFORE_REVISIONS = [
  'lead_to_customer_onboarding',
  'quote_accepted_to_order',
  'partner_customer_provisioning',
  'customer_renewal_process',
  'isp_ticket_to_deployment',
  'payment_processing',
  'lead_to_opportunity',
  'business_activation',
  'payment_refund',
  'opportunity_follow_up',
];

/**
 * A database seeded before revisions were kept: each built-in's first version, as seeding saved it
 * (tagged `built-in`), is recorded as revision 1. A tenant's later versions are its edits, so a
 * workflow already past version 1 counts as edited and keeps them.
 */
export const LEGACY_BUILT_IN_BACKFILL_SQL = `insert into "built_in_workflows" ("tenant_id", "name", "revision", "version", "recorded_at")
  select w."tenant_id", w."name", 1, 1, v."created_at" from "workflows" w join "workflow_versions" v on v."workflow_id" = w."id" and v."version" = 1
  where w."name" in (${BUILT_INS_BEFORE_REVISIONS.map((name) => `'${name}'`).join(', ')}) and 'built-in' = any(w."tags")
  on conflict do nothing;`;

/** Which revision of each built-in workflow a tenant holds (entities/built-in-workflow.entity.ts), so a newer one can be applied at start. */
export class Migration20261204010000_built_in_revisions extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "built_in_workflows" ("tenant_id" uuid not null, "name" text not null, "revision" int not null, "version" int not null, "recorded_at" timestamptz not null, constraint "built_in_workflows_pkey" primary key ("tenant_id", "name"));`,
    );
    this.addSql(
      `alter table "built_in_workflows" add constraint "built_in_workflows_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );
    for (const sql of tenantColumnPolicySql('built_in_workflows')) this.addSql(sql);
    this.addSql(LEGACY_BUILT_IN_BACKFILL_SQL);
  }

  override async down(): Promise<void> {
    for (const sql of dropTenantPolicySql('built_in_workflows')) this.addSql(sql);
    this.addSql('drop table if exists "built_in_workflows" cascade;');
  }
}
