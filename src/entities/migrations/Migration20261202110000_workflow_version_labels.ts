import { Migration } from '@mikro-orm/migrations';

/**
 * A version's label: the author's name for it (`"1.0.0"` in the seeds' create body), kept beside the
 * integer version that executions are pinned to. Versions saved before have none.
 */
export class Migration20261202110000_workflow_version_labels extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "workflow_versions" add column "label" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "workflow_versions" drop column "label";`);
  }
}
