import { Migration } from '@mikro-orm/migrations';

/** Finding the runs an event resumed reads execution_waits by the event that resolved them. */
export class Migration20261122110000_wait_event_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "execution_waits_resolved_event_id_index" on "execution_waits" ("resolved_event_id");`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "execution_waits_resolved_event_id_index";');
  }
}
