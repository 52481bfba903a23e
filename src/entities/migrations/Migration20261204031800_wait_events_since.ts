import { Migration } from '@mikro-orm/migrations';

/** A wait's `event.since: run`: the time its lookback reaches back to, when not its step's start. */
export class Migration20261204031800_wait_events_since extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "execution_waits" add column "events_since" timestamptz null;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table "execution_waits" drop column if exists "events_since";');
  }
}
