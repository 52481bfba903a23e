import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 13, the audit trail of the engine's operations: a record names the workflow version it is
 * about — the version a definition change made, the version a run started on, retried or reran.
 */
export class Migration20261202150000_audit_workflow_version extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "audit_log" add column "workflow_id" uuid null, add column "workflow_version" integer null;`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table "audit_log" drop column "workflow_version", drop column "workflow_id";');
  }
}
