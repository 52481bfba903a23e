import { Migration } from '@mikro-orm/migrations';
import { dropTenantPolicySql, tenantColumnPolicySql } from './auth/tenant-policies.js';

/**
 * Record lineage (entities/record-lineage.entity.ts): which run and step created or changed each
 * customer, subscription, license, deployment, allocation, order and ticket. The primary key leads with
 * the record (tenant, type, id) for "which runs touched it"; the execution index answers "what did this
 * run touch". No foreign keys, like the other engine logs: a step's insert locks nothing else.
 */
export class Migration20261203300000_record_lineage extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "record_lineage" ("tenant_id" uuid not null, "record_type" text check ("record_type" in ('customer', 'subscription', 'license', 'deployment', 'allocation', 'order', 'ticket')) not null, "record_id" uuid not null, "execution_id" uuid not null, "step_key" text not null, "action" text check ("action" in ('created', 'updated')) not null, "at" timestamptz not null, constraint "record_lineage_pkey" primary key ("tenant_id", "record_type", "record_id", "execution_id", "step_key", "action"));`,
    );
    this.addSql(`create index "record_lineage_execution_id_index" on "record_lineage" ("execution_id");`);
    for (const sql of tenantColumnPolicySql('record_lineage')) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const sql of dropTenantPolicySql('record_lineage')) this.addSql(sql);
    this.addSql('drop table if exists "record_lineage" cascade;');
  }
}
