import { Migration } from '@mikro-orm/migrations';

/**
 * Human approval steps: what each asks (who may decide, the prompt and data, how many approvals, until
 * when) and each person's decision, one per person per request. Pending requests are listed per tenant
 * in the order they were opened.
 */
export class Migration20261203000000_approvals extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "approval_requests" ("execution_id" uuid not null, "step_key" text not null, "tenant_id" uuid not null, "prompt" text not null, "data" jsonb null, "approver_roles" text[] not null, "approver_permission" text null, "approver_users" text[] not null, "required" int not null, "expires_at" timestamptz null, "status" text check ("status" in ('pending', 'approved', 'rejected', 'timed_out')) not null default 'pending', "decided_at" timestamptz null, "created_at" timestamptz not null, constraint "approval_requests_pkey" primary key ("execution_id", "step_key"));`,
    );
    this.addSql(
      `create index "approval_requests_pending_index" on "approval_requests" ("tenant_id", "created_at") where "status" = 'pending';`,
    );
    this.addSql(
      `create table "approval_decisions" ("execution_id" uuid not null, "step_key" text not null, "user_id" uuid not null, "tenant_id" uuid not null, "user_email" text not null, "decision" text check ("decision" in ('approve', 'reject')) not null, "comment" text null, "decided_at" timestamptz not null, constraint "approval_decisions_pkey" primary key ("execution_id", "step_key", "user_id"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "approval_decisions", "approval_requests" cascade;');
  }
}
