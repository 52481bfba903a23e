import { Migration } from '@mikro-orm/migrations';

/**
 * The trace context (`traceparent`) of whoever recorded a domain event, when tracing was on: the runs
 * the event starts join that trace, so one trace shows the request (or the step) that published the
 * event and the runs it caused. Events recorded before have none.
 */
export class Migration20261203100000_domain_event_trace extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "domain_events" add column "trace_parent" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "domain_events" drop column "trace_parent";`);
  }
}
