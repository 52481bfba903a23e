import { Migration } from '@mikro-orm/migrations';
import { TENANT_SETTING, dropTenantPolicySql, tenantColumnPolicySql } from './tenant-policies.js';

/**
 * Issue 13: users get a name; one-time tokens (invitations, password resets) stored hashed; and the
 * append-only audit log, which the database itself refuses to change (a trigger on UPDATE, DELETE and
 * TRUNCATE raises, whoever asks).
 */
export class Migration20261202130000_users_tokens_audit_log extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" add column "name" text not null default '';`);

    this.addSql(
      `create table "one_time_tokens" ("id" uuid not null, "tenant_id" uuid not null, "user_id" uuid not null, "purpose" text check ("purpose" in ('invitation', 'password_reset')) not null, "token_hash" text not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, constraint "one_time_tokens_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "one_time_tokens" add constraint "one_time_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "one_time_tokens_tenant_id_index" on "one_time_tokens" ("tenant_id");`);
    this.addSql(`create index "one_time_tokens_user_id_index" on "one_time_tokens" ("user_id");`);
    this.addSql(
      `alter table "one_time_tokens" add constraint "one_time_tokens_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "one_time_tokens" add constraint "one_time_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`,
    );
    for (const sql of tenantColumnPolicySql('one_time_tokens')) this.addSql(sql);

    this.addSql(
      `create table "audit_log" ("id" bigserial primary key, "at" timestamptz not null, "tenant_id" uuid null, "actor_kind" text not null, "actor_id" text null, "actor_name" text not null, "operation" text not null, "target_type" text null, "target_id" text null, "request_id" text null, "outcome" text not null);`,
    );
    this.addSql(`create index "audit_log_tenant_id_index" on "audit_log" ("tenant_id", "id");`);
    this.addSql(`create function switchyard_audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end
$$;`);
    this.addSql(
      `create trigger "audit_log_append_only" before update or delete on "audit_log" for each row execute function switchyard_audit_log_append_only();`,
    );
    this.addSql(
      `create trigger "audit_log_no_truncate" before truncate on "audit_log" for each statement execute function switchyard_audit_log_append_only();`,
    );
    // Row-level security as the other tables, except that records of no tenant (a refused sign-in of an
    // unknown e-mail) are seen only where no tenant is set (a platform admin's reads, operators).
    const visible = `coalesce(nullif(current_setting('${TENANT_SETTING}', true), '')::uuid = "tenant_id", nullif(current_setting('${TENANT_SETTING}', true), '') is null)`;
    this.addSql(`alter table "audit_log" enable row level security;`);
    this.addSql(`alter table "audit_log" force row level security;`);
    this.addSql(`create policy "tenant_isolation" on "audit_log" using (${visible}) with check (${visible});`);
  }

  override async down(): Promise<void> {
    for (const sql of dropTenantPolicySql('audit_log')) this.addSql(sql);
    this.addSql('drop table if exists "audit_log" cascade;');
    this.addSql('drop function if exists switchyard_audit_log_append_only();');
    for (const sql of dropTenantPolicySql('one_time_tokens')) this.addSql(sql);
    this.addSql('drop table if exists "one_time_tokens" cascade;');
    this.addSql('alter table "users" drop column "name";');
  }
}
