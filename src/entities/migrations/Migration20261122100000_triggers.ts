import { Migration } from '@mikro-orm/migrations';
import { dropTenantPolicySql, tenantColumnPolicySql } from './auth/tenant-policies.js';

/** The channels this migration's triggers NOTIFY and the event dispatchers LISTEN on. */
export const DOMAIN_EVENTS_CHANNEL = 'switchyard_domain_events';
export const LOOKBACKS_CHANNEL = 'switchyard_event_lookbacks';

const TENANT_TABLES = ['event_deliveries', 'workflow_schedules', 'schedule_runs'] as const;

/**
 * Triggers and schedules: which executions each domain event started (event_deliveries), waits still
 * to look back at earlier events (event_delivery_lookbacks), workflows' cron schedules and what each
 * tick did (workflow_schedules, schedule_runs), the scheduler's own schedules (system_schedules).
 *
 * Inserting a domain event or a lookback NOTIFYs the dispatchers, whoever inserts it (a service through
 * the ORM, the runtime's checkpoint, publishEvent): they wake at once instead of at their next poll.
 * Row-level triggers, because a statement-level one would also fire for the checkpoints that insert
 * no lookback — nearly all of them. Notifications are sent at commit and merged within a transaction.
 */
export class Migration20261122100000_triggers extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "event_delivery_lookbacks" ("execution_id" uuid not null, "step_key" text not null, "created_at" timestamptz not null, constraint "event_delivery_lookbacks_pkey" primary key ("execution_id", "step_key"));`,
    );
    this.addSql(
      `create table "system_schedules" ("name" text not null, "cron" text not null, "timezone" text not null, "next_fire_at" timestamptz not null, "last_fired_at" timestamptz null, "last_result" jsonb null, "updated_at" timestamptz not null, constraint "system_schedules_pkey" primary key ("name"));`,
    );

    this.addSql(
      `create table "event_deliveries" ("id" uuid not null, "tenant_id" uuid not null, "event_id" uuid not null, "workflow_id" uuid not null, "workflow_name" text not null, "execution_id" uuid null, "status" text check ("status" in ('started', 'failed')) not null, "error" jsonb null, "created_at" timestamptz not null, constraint "event_deliveries_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "event_deliveries_execution_id_index" on "event_deliveries" ("execution_id");`);
    this.addSql(
      `alter table "event_deliveries" add constraint "event_deliveries_event_id_workflow_id_unique" unique ("event_id", "workflow_id");`,
    );

    this.addSql(
      `create table "workflow_schedules" ("id" uuid not null, "tenant_id" uuid not null, "workflow_id" uuid not null, "name" text not null, "cron" text not null, "timezone" text not null, "input" jsonb not null, "catch_up" text check ("catch_up" in ('skip', 'once')) not null, "overlap" text check ("overlap" in ('allow', 'skip')) not null, "workflow_version" int not null, "workflow_active" boolean not null, "paused" boolean not null default false, "next_fire_at" timestamptz not null, "last_fired_at" timestamptz null, "last_execution_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "workflow_schedules_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "workflow_schedules_due_index" on "workflow_schedules" ("next_fire_at") where not "paused" and "workflow_active";`,
    );
    this.addSql(
      `alter table "workflow_schedules" add constraint "workflow_schedules_workflow_id_name_unique" unique ("workflow_id", "name");`,
    );

    this.addSql(
      `create table "schedule_runs" ("id" uuid not null, "tenant_id" uuid not null, "schedule_id" uuid not null, "tick_at" timestamptz not null, "status" text check ("status" in ('started', 'skipped', 'missed', 'failed')) not null, "ticks" int not null default 1, "execution_id" uuid null, "error" jsonb null, "created_at" timestamptz not null, constraint "schedule_runs_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "schedule_runs" add constraint "schedule_runs_schedule_id_tick_at_unique" unique ("schedule_id", "tick_at");`);

    this.addSql(
      `alter table "event_deliveries" add constraint "event_deliveries_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "event_deliveries" add constraint "event_deliveries_event_id_foreign" foreign key ("event_id") references "domain_events" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "event_deliveries" add constraint "event_deliveries_workflow_id_foreign" foreign key ("workflow_id") references "workflows" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "workflow_schedules" add constraint "workflow_schedules_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "workflow_schedules" add constraint "workflow_schedules_workflow_id_foreign" foreign key ("workflow_id") references "workflows" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "schedule_runs" add constraint "schedule_runs_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "schedule_runs" add constraint "schedule_runs_schedule_id_foreign" foreign key ("schedule_id") references "workflow_schedules" ("id") on update cascade on delete cascade;`,
    );

    for (const table of TENANT_TABLES) for (const sql of tenantColumnPolicySql(table)) this.addSql(sql);

    // A tenant's events by name since a time (a wait's lookback, `events(filter: { name })`), and newest first.
    this.addSql(`create index "domain_events_tenant_id_name_occurred_at_index" on "domain_events" ("tenant_id", "name", "occurred_at");`);
    this.addSql(`create index "domain_events_tenant_id_occurred_at_index" on "domain_events" ("tenant_id", "occurred_at");`);

    for (const [table, channel] of [
      ['domain_events', DOMAIN_EVENTS_CHANNEL],
      ['event_delivery_lookbacks', LOOKBACKS_CHANNEL],
    ] as const) {
      this.addSql(`create or replace function "${table}_notify"() returns trigger language plpgsql as $$
begin
  perform pg_notify('${channel}', '');
  return null;
end
$$;`);
      this.addSql(`create trigger "${table}_notify" after insert on "${table}" for each row execute function "${table}_notify"();`);
    }
  }

  override async down(): Promise<void> {
    for (const table of ['domain_events', 'event_delivery_lookbacks']) {
      this.addSql(`drop trigger if exists "${table}_notify" on "${table}";`);
      this.addSql(`drop function if exists "${table}_notify"();`);
    }
    for (const table of TENANT_TABLES) for (const sql of dropTenantPolicySql(table)) this.addSql(sql);
    this.addSql(
      'drop table if exists "schedule_runs", "workflow_schedules", "event_deliveries", "system_schedules", "event_delivery_lookbacks" cascade;',
    );
  }
}
