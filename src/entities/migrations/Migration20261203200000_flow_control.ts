import { Migration } from '@mikro-orm/migrations';

/**
 * Flow control (engine/flow-control.ts): the `queued` status (a run held back by a concurrency limit),
 * each run's priority among queued runs, and the concurrency group it belongs to (its workflow's
 * `concurrency.key` value, '' for the whole workflow) with the limit its definition set. Slots are not
 * stored: a group's slots in use are counted from its runs in progress, so nothing can leak them.
 * Partial indexes keep those counts and the queues' heads cheap.
 */
export class Migration20261203200000_flow_control extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "executions" drop constraint if exists "executions_status_check";`);
    this.addSql(
      `alter table "executions" add constraint "executions_status_check" check("status" in ('queued', 'pending', 'running', 'waiting', 'paused', 'completed', 'failed', 'cancelled'));`,
    );
    this.addSql(
      `alter table "executions" add column "priority" int not null default 0, add column "concurrency_key" text null, add column "concurrency_limit" int null;`,
    );
    this.addSql(
      `create index "executions_slot_holders_index" on "executions" ("workflow_id", "concurrency_key") where "concurrency_limit" is not null and "status" in ('pending', 'running', 'waiting', 'paused');`,
    );
    this.addSql(
      `create index "executions_tenant_holders_index" on "executions" ("tenant_id") where "parent_execution_id" is null and "status" in ('pending', 'running', 'waiting', 'paused');`,
    );
    this.addSql(
      `create index "executions_queued_index" on "executions" ("tenant_id", "priority" desc, "created_at", "id") where "status" = 'queued';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "executions_queued_index";`);
    this.addSql(`drop index if exists "executions_tenant_holders_index";`);
    this.addSql(`drop index if exists "executions_slot_holders_index";`);
    this.addSql(`alter table "executions" drop column "priority", drop column "concurrency_key", drop column "concurrency_limit";`);
    this.addSql(`alter table "executions" drop constraint if exists "executions_status_check";`);
    this.addSql(
      `alter table "executions" add constraint "executions_status_check" check("status" in ('pending', 'running', 'waiting', 'paused', 'completed', 'failed', 'cancelled'));`,
    );
  }
}
