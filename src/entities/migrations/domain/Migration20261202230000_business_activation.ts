import { Migration } from '@mikro-orm/migrations';
import { dropTenantPolicySql, tenantColumnPolicySql } from '../auth/tenant-policies.js';

/** Each industry's starting modules (seed 003 §1, step 3); an activation's feature toggles add and remove. */
export const INDUSTRY_PRESETS: ReadonlyArray<[industry: string, label: string, modules: readonly string[]]> = [
  ['ecommerce', 'E-commerce', ['storefront', 'cart', 'checkout', 'payments', 'inventory', 'crm', 'email_marketing', 'analytics']],
  ['healthcare', 'Healthcare', ['patients', 'appointments', 'billing', 'crm', 'telehealth', 'compliance', 'analytics']],
  ['logistics', 'Logistics', ['shipments', 'fleet', 'warehouse', 'tracking', 'billing', 'crm', 'analytics']],
  ['education', 'Education', ['courses', 'enrollment', 'billing', 'crm', 'analytics']],
  ['hospitality', 'Hospitality', ['bookings', 'pos', 'payments', 'crm', 'reviews', 'analytics']],
  ['professional_services', 'Professional services', ['projects', 'timesheets', 'invoicing', 'crm', 'support', 'analytics']],
];

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Issue 18, business_activation: the activations, the resources each provisioned (what its undo removes), the industry presets (seeded), the chart of accounts it seeds in the new tenant. */
export class Migration20261202230000_business_activation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "business_activations" ("id" uuid not null, "tenant_id" uuid not null, "activated_tenant_id" uuid not null,
      "idempotency_key" text not null, "business_name" text not null, "industry" text not null, "region" text not null, "currency" text not null,
      "plan" text not null, "admin_email" text not null, "modules" jsonb null,
      "status" text check ("status" in ('provisioning', 'active', 'rolled_back')) not null default 'provisioning', "result" jsonb null,
      "created_at" timestamptz not null, "activated_at" timestamptz null, "rolled_back_at" timestamptz null,
      constraint "business_activations_pkey" primary key ("id"));`);
    this.addSql(
      `alter table "business_activations" add constraint "business_activations_tenant_id_idempotency_key_unique" unique ("tenant_id", "idempotency_key");`,
    );
    this.addSql(`create index "business_activations_tenant_id_status_index" on "business_activations" ("tenant_id", "status");`);
    this.addSql(
      `alter table "business_activations" add constraint "business_activations_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "business_activations" add constraint "business_activations_activated_tenant_id_foreign" foreign key ("activated_tenant_id") references "tenants" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(`create table "activation_resources" ("id" uuid not null, "tenant_id" uuid not null, "activation_id" uuid not null,
      "kind" text check ("kind" in ('namespace', 'network_policy', 'resource_quota', 'service_account', 'role_binding', 'database_schema', 'cache_namespace', 'bucket', 'integration', 'dns_record', 'certificate', 'copilot')) not null,
      "name" text not null, "provider" text not null, "details" jsonb not null,
      "status" text check ("status" in ('provisioned', 'removed')) not null default 'provisioned', "created_at" timestamptz not null, "removed_at" timestamptz null,
      constraint "activation_resources_pkey" primary key ("id"));`);
    this.addSql(
      `alter table "activation_resources" add constraint "activation_resources_activation_id_kind_name_unique" unique ("activation_id", "kind", "name");`,
    );
    this.addSql(
      `create index "activation_resources_tenant_id_activation_id_index" on "activation_resources" ("tenant_id", "activation_id");`,
    );
    this.addSql(
      `alter table "activation_resources" add constraint "activation_resources_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "activation_resources" add constraint "activation_resources_activation_id_foreign" foreign key ("activation_id") references "business_activations" ("id") on update cascade on delete cascade;`,
    );
    for (const table of ['business_activations', 'activation_resources']) for (const sql of tenantColumnPolicySql(table)) this.addSql(sql);

    this.addSql(`create table "ledger_accounts" ("id" uuid not null, "tenant_id" uuid not null, "code" text not null, "name" text not null,
      "type" text check ("type" in ('asset', 'liability', 'equity', 'revenue', 'expense')) not null, "created_at" timestamptz not null,
      constraint "ledger_accounts_pkey" primary key ("id"));`);
    this.addSql(`alter table "ledger_accounts" add constraint "ledger_accounts_tenant_id_code_unique" unique ("tenant_id", "code");`);
    this.addSql(
      `alter table "ledger_accounts" add constraint "ledger_accounts_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    for (const sql of tenantColumnPolicySql('ledger_accounts')) this.addSql(sql);

    this.addSql(
      `create table "industry_presets" ("industry" text not null, "label" text not null, "modules" jsonb not null, constraint "industry_presets_pkey" primary key ("industry"));`,
    );
    const rows = INDUSTRY_PRESETS.map(
      ([industry, label, modules]) => `(${quote(industry)}, ${quote(label)}, ${quote(JSON.stringify(modules))}::jsonb)`,
    );
    this.addSql(`insert into "industry_presets" ("industry", "label", "modules") values ${rows.join(', ')};`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "industry_presets";');
    for (const sql of dropTenantPolicySql('ledger_accounts')) this.addSql(sql);
    this.addSql('drop table if exists "ledger_accounts";');
    for (const table of ['activation_resources', 'business_activations']) for (const sql of dropTenantPolicySql(table)) this.addSql(sql);
    this.addSql('drop table if exists "activation_resources";');
    this.addSql('drop table if exists "business_activations";');
  }
}
