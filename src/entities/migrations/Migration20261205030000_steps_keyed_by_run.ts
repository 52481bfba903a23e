import { Migration } from '@mikro-orm/migrations';

/**
 * Fewer index entries per run, for the checkpoints' sake. A step row is keyed by (execution_id, key),
 * which every statement already used: its surrogate uuid cost each new step a random value and a second
 * index entry, and nothing read it. The parent index keeps only runs that have a parent: a top-level
 * run's null entry was written at its start and again at its end, and no query looks runs up by a null
 * parent (children are found by `parent_execution_id = $1`, which implies not null).
 */
export class Migration20261205030000_steps_keyed_by_run extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "execution_steps" drop constraint "execution_steps_pkey";');
    this.addSql('alter table "execution_steps" drop column "id";');
    this.addSql('alter table "execution_steps" drop constraint "execution_steps_execution_id_key_unique";');
    this.addSql('alter table "execution_steps" add constraint "execution_steps_pkey" primary key ("execution_id", "key");');
    this.addSql('drop index "executions_parent_execution_id_index";');
    this.addSql(
      'create index "executions_parent_execution_id_index" on "executions" ("parent_execution_id") where "parent_execution_id" is not null;',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index "executions_parent_execution_id_index";');
    this.addSql('create index "executions_parent_execution_id_index" on "executions" ("parent_execution_id");');
    this.addSql('alter table "execution_steps" drop constraint "execution_steps_pkey";');
    this.addSql('alter table "execution_steps" add constraint "execution_steps_execution_id_key_unique" unique ("execution_id", "key");');
    this.addSql('alter table "execution_steps" add column "id" uuid not null default gen_random_uuid();');
    this.addSql('alter table "execution_steps" alter column "id" drop default;');
    this.addSql('alter table "execution_steps" add constraint "execution_steps_pkey" primary key ("id");');
  }
}
