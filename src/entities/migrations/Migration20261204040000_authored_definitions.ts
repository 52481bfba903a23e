import { Migration } from '@mikro-orm/migrations';

/**
 * A version's definition as its author wrote it: `json` keeps the text it is given, key order included,
 * where the `jsonb` column beside it reorders keys (shorter first, then bytewise). The API serves this one;
 * the engine keeps reading the jsonb, and the check keeps the two the same definition. Versions saved
 * before have none (null): their original text is lost, so they are shown in the order they always were,
 * the jsonb's.
 */
export class Migration20261204040000_authored_definitions extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "workflow_versions" add column "authored_definition" json null, add constraint workflow_versions_authored_definition_check check (authored_definition is null or authored_definition::jsonb = definition);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('alter table "workflow_versions" drop column if exists "authored_definition";');
  }
}
