import { Migration } from '@mikro-orm/migrations';

/**
 * A step row no longer carries a foreign key to its execution: every checkpoint paid a trigger, a
 * lookup and a row lock per step row for it, though the engine writes a step only in the statement that
 * updates its run (CHECKPOINT, fenced by the lease) or in the transaction that inserts it (a rerun's kept
 * steps). Nothing deletes runs; whoever does deletes their steps too, as with their events.
 */
export class Migration20261204170000_steps_without_execution_fk extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "execution_steps" drop constraint if exists "execution_steps_execution_id_foreign";');
  }

  override async down(): Promise<void> {
    this.addSql(
      'alter table "execution_steps" add constraint "execution_steps_execution_id_foreign" foreign key ("execution_id") references "executions" ("id") on update cascade on delete cascade;',
    );
  }
}
