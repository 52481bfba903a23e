import { Migration } from '@mikro-orm/migrations';

/**
 * Tenants, users, workflows with versions, executions and their steps.
 * Generated from the entities (schema generator) so that they agree exactly; a test checks that.
 */
export class Migration20261122000000_foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "tenants" ("id" uuid not null, "slug" text not null, "name" text not null, "created_at" timestamptz not null, constraint "tenants_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "tenants" add constraint "tenants_slug_unique" unique ("slug");`);
    this.addSql(
      `create table "users" ("id" uuid not null, "tenant_id" uuid not null, "email" text not null, "password_hash" text not null, "role" text check ("role" in ('admin', 'operator', 'viewer', 'partner')) not null, "active" boolean not null default true, "created_at" timestamptz not null, constraint "users_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "users_tenant_id_index" on "users" ("tenant_id");`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(
      `create table "workflows" ("id" uuid not null, "tenant_id" uuid not null, "name" text not null, "description" text not null default '', "current_version" int not null default 1, "active" boolean not null default true, "tags" text[] not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "workflows_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "workflows" add constraint "workflows_tenant_id_name_unique" unique ("tenant_id", "name");`);
    this.addSql(
      `create table "executions" ("id" uuid not null, "tenant_id" uuid not null, "workflow_id" uuid not null, "workflow_version" int not null, "status" text check ("status" in ('pending', 'running', 'completed', 'failed', 'cancelled')) not null default 'pending', "context" jsonb not null, "result" jsonb null, "error" jsonb null, "trigger_type" text check ("trigger_type" in ('api', 'event', 'schedule', 'sub_workflow', 'rerun')) not null default 'api', "trigger_source" text null, "idempotency_key" text null, "created_at" timestamptz not null, "started_at" timestamptz null, "completed_at" timestamptz null, "updated_at" timestamptz not null, constraint "executions_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create unique index "executions_tenant_id_idempotency_key_unique" on "executions" ("tenant_id", "idempotency_key") where "idempotency_key" is not null;`,
    );
    this.addSql(`create index "executions_workflow_id_created_at_index" on "executions" ("workflow_id", "created_at");`);
    this.addSql(`create index "executions_tenant_id_created_at_index" on "executions" ("tenant_id", "created_at");`);
    this.addSql(`create index "executions_status_created_at_index" on "executions" ("status", "created_at");`);
    this.addSql(
      `create table "execution_steps" ("id" uuid not null, "execution_id" uuid not null, "key" text not null, "name" text not null, "type" text not null, "sequence" int not null, "status" text check ("status" in ('pending', 'running', 'completed', 'failed', 'skipped')) not null default 'pending', "input" jsonb null, "output" jsonb null, "error" jsonb null, "attempts" int not null default 0, "started_at" timestamptz null, "completed_at" timestamptz null, constraint "execution_steps_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "execution_steps" add constraint "execution_steps_execution_id_key_unique" unique ("execution_id", "key");`);
    this.addSql(
      `create table "workflow_versions" ("id" uuid not null, "workflow_id" uuid not null, "version" int not null, "definition" jsonb not null, "created_at" timestamptz not null, constraint "workflow_versions_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "workflow_versions" add constraint "workflow_versions_workflow_id_version_unique" unique ("workflow_id", "version");`,
    );
    this.addSql(
      `alter table "users" add constraint "users_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "workflows" add constraint "workflows_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "executions" add constraint "executions_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "executions" add constraint "executions_workflow_id_foreign" foreign key ("workflow_id") references "workflows" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "execution_steps" add constraint "execution_steps_execution_id_foreign" foreign key ("execution_id") references "executions" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "workflow_versions" add constraint "workflow_versions_workflow_id_foreign" foreign key ("workflow_id") references "workflows" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "execution_steps", "executions", "workflow_versions", "workflows", "users", "tenants" cascade;');
  }
}
