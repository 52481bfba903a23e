import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 13, tenants: the platform admin (the first-start admin, who manages tenants) is marked as such —
 * an admin of any other tenant administers only their own — and a tenant can be suspended.
 */
export class Migration20261202140000_platform_admin_tenant_suspension extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" add column "platform_admin" boolean not null default false;`);
    this.addSql(`alter table "tenants" add column "suspended_at" timestamptz null;`);
    // The first-start admin is the admin of the tenant `default` (src/auth/bootstrap-admin.ts).
    this.addSql(
      `update "users" set "platform_admin" = true where "role" = 'admin' and "tenant_id" in (select "id" from "tenants" where "slug" = 'default');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('alter table "tenants" drop column "suspended_at";');
    this.addSql('alter table "users" drop column "platform_admin";');
  }
}
