import { Migration } from '@mikro-orm/migrations';

/**
 * The hourly stalled-opportunity scan reads open opportunities whose last move is a week old or more,
 * in order of that move, across tenants: a partial index of the open ones by `stage_changed_at` lets
 * it read only those, however many deals have closed.
 */
export class Migration20261204000000_stalled_scan_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "opportunities_open_stage_changed_at_index" on "opportunities" ("stage_changed_at", "id") where "stage" not in ('closed_won', 'closed_lost');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "opportunities_open_stage_changed_at_index";`);
  }
}
