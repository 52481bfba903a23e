import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 13: a tenant's suspension pauses its runs, and lifting it resumes them — those it paused, not
 * those someone had paused before. This table remembers which.
 */
export class Migration20261202180000_tenant_held_runs extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "tenant_held_runs" ("execution_id" uuid not null, "tenant_id" uuid not null, "held_at" timestamptz not null, constraint "tenant_held_runs_pkey" primary key ("execution_id"));`,
    );
    this.addSql(`create index "tenant_held_runs_tenant_id_index" on "tenant_held_runs" ("tenant_id");`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "tenant_held_runs" cascade;');
  }
}
