/**
 * Row-level security, the database's backstop behind the ORM's tenant filter. A request that runs
 * inside `set local app.tenant_id = '<uuid>'` sees and writes only that tenant's rows; a session that
 * never sets it (the engine's workers, migrations, schedulers, which act across tenants) sees all.
 *
 * Policies bind only roles without BYPASSRLS that are not superusers: tables are FORCEd so the owning
 * role is bound too, but a superuser connection (the embedded PostgreSQL's default) passes every policy.
 * Tables added later get theirs from these helpers in their own migration.
 */

export const TENANT_SETTING = 'app.tenant_id';

/** Creates the function the policies share: true when the setting is unset or names the row's tenant. */
export const TENANT_VISIBLE_FUNCTION_SQL = `create or replace function switchyard_tenant_visible(row_tenant uuid) returns boolean language sql stable as $$
  select coalesce(nullif(current_setting('${TENANT_SETTING}', true), '')::uuid = row_tenant, true)
$$;`;

function enable(table: string): string[] {
  return [`alter table "${table}" enable row level security;`, `alter table "${table}" force row level security;`];
}

/** A table with its own `tenant_id` column. */
export function tenantColumnPolicySql(table: string, column = 'tenant_id'): string[] {
  const visible = `switchyard_tenant_visible("${column}")`;
  return [...enable(table), `create policy "tenant_isolation" on "${table}" using (${visible}) with check (${visible});`];
}

/** A table reached through a parent that has a tenant (`workflow_versions` through `workflows`). */
export function parentTenantPolicySql(table: string, foreignKey: string, parent: string): string[] {
  const visible = `exists (select 1 from "${parent}" p where p."id" = "${table}"."${foreignKey}" and switchyard_tenant_visible(p."tenant_id"))`;
  return [...enable(table), `create policy "tenant_isolation" on "${table}" using (${visible}) with check (${visible});`];
}

export function dropTenantPolicySql(table: string): string[] {
  return [
    `drop policy if exists "tenant_isolation" on "${table}";`,
    `alter table "${table}" no force row level security;`,
    `alter table "${table}" disable row level security;`,
  ];
}
