import { Migration } from '@mikro-orm/migrations';

/**
 * The durable runtime: leases with fencing epochs, wake times and signals on executions, the
 * per-execution event log, event waits, retry times and compensation results on steps.
 */
export class Migration20261122040000_engine_runtime extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "execution_events" ("execution_id" uuid not null, "seq" int not null, "type" text not null, "step_key" text null, "payload" jsonb not null, "created_at" timestamptz not null, constraint "execution_events_pkey" primary key ("execution_id", "seq"));`,
    );
    this.addSql(
      `create table "execution_waits" ("execution_id" uuid not null, "step_key" text not null, "tenant_id" uuid not null, "event_name" text not null, "match" text null, "expires_at" timestamptz null, "resolved_at" timestamptz null, "resolved_event_id" text null, "resolved_payload" jsonb null, "created_at" timestamptz not null, constraint "execution_waits_pkey" primary key ("execution_id", "step_key"));`,
    );
    this.addSql(`create index "execution_waits_open_index" on "execution_waits" ("tenant_id", "event_name") where "resolved_at" is null;`);
    this.addSql(`alter table "executions" drop constraint if exists "executions_status_check";`);
    this.addSql(
      `alter table "executions" add column "parent_execution_id" uuid null, add column "parent_step_key" text null, add column "lease_owner" text null, add column "lease_epoch" bigint not null default 0, add column "lease_expires_at" timestamptz null, add column "wake_at" timestamptz null, add column "signal_seq" int not null default 0, add column "cancel_requested" boolean not null default false, add column "pause_requested" boolean not null default false, add column "last_event_seq" int not null default 0;`,
    );
    this.addSql(
      `alter table "executions" add constraint "executions_status_check" check("status" in ('pending', 'running', 'waiting', 'paused', 'completed', 'failed', 'cancelled'));`,
    );
    this.addSql(`create index "executions_parent_execution_id_index" on "executions" ("parent_execution_id");`);
    this.addSql(
      `create index "executions_recoverable_index" on "executions" ("lease_expires_at", "wake_at") where "status" in ('pending', 'running', 'waiting');`,
    );
    this.addSql(`alter table "execution_steps" add column "next_attempt_at" timestamptz null, add column "compensation" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "execution_events", "execution_waits" cascade;');
  }
}
