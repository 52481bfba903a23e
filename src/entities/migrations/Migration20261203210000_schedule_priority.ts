import { Migration } from '@mikro-orm/migrations';

/** A cron schedule's `priority`: the runs it starts queue behind higher ones when a concurrency limit holds them. */
export class Migration20261203210000_schedule_priority extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "workflow_schedules" add column "priority" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "workflow_schedules" drop column "priority";`);
  }
}
