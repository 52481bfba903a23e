import { Migration } from '@mikro-orm/migrations';

/**
 * Where a run was started from: the id of the API request that asked for it (its log lines name it)
 * and, when tracing is on, the caller's W3C trace context (`traceparent`), so that the run's spans join
 * the caller's trace whichever process runs it, and however late. Runs started before have neither.
 */
export class Migration20261202160000_execution_origin extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "executions" add column "request_id" text null, add column "trace_parent" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "executions" drop column "request_id", drop column "trace_parent";`);
  }
}
