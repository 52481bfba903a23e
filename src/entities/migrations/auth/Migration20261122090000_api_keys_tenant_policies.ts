import { Migration } from '@mikro-orm/migrations';
import { TENANT_VISIBLE_FUNCTION_SQL, dropTenantPolicySql, parentTenantPolicySql, tenantColumnPolicySql } from './tenant-policies.js';

const TENANT_TABLES = ['workflows', 'executions', 'customers', 'users', 'domain_events', 'service_call_records', 'api_keys'] as const;
const CHILD_TABLES = [
  ['workflow_versions', 'workflow_id', 'workflows'],
  ['execution_steps', 'execution_id', 'executions'],
] as const;

/** API keys, and row-level security on every table that existed when it was written (see tenant-policies.ts). */
export class Migration20261122090000_api_keys_tenant_policies extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "api_keys" ("id" uuid not null, "tenant_id" uuid not null, "name" text not null, "prefix" text not null, "secret_hash" text not null, "permissions" text[] not null, "created_by" text not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_keys_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "api_keys_tenant_id_index" on "api_keys" ("tenant_id");`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_prefix_unique" unique ("prefix");`);
    this.addSql(
      `alter table "api_keys" add constraint "api_keys_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );

    this.addSql(TENANT_VISIBLE_FUNCTION_SQL);
    for (const table of TENANT_TABLES) for (const sql of tenantColumnPolicySql(table)) this.addSql(sql);
    for (const [table, foreignKey, parent] of CHILD_TABLES)
      for (const sql of parentTenantPolicySql(table, foreignKey, parent)) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const [table] of CHILD_TABLES) for (const sql of dropTenantPolicySql(table)) this.addSql(sql);
    for (const table of TENANT_TABLES) for (const sql of dropTenantPolicySql(table)) this.addSql(sql);
    this.addSql('drop function if exists switchyard_tenant_visible(uuid);');
    this.addSql('drop table if exists "api_keys" cascade;');
  }
}
