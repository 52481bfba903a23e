import { Migration } from '@mikro-orm/migrations';

/**
 * Drops the NOTIFY triggers on domain_events and event_delivery_lookbacks. A transaction that issued
 * NOTIFY takes PostgreSQL's one database-wide lock while it commits, so every step transaction that
 * recorded a domain event (and every checkpoint that registered an event wait) queued behind every
 * other: with two workers, commits serialised there. Dispatchers are now woken after commit, through
 * the pub/sub (Redis between processes), and poll as the safety net (triggers/dispatch-wakeups.ts).
 */
export class Migration20261202000000_no_notify_on_commit extends Migration {
  override async up(): Promise<void> {
    for (const table of ['domain_events', 'event_delivery_lookbacks']) {
      this.addSql(`drop trigger if exists "${table}_notify" on "${table}";`);
      this.addSql(`drop function if exists "${table}_notify"();`);
    }
  }

  override async down(): Promise<void> {
    for (const [table, channel] of [
      ['domain_events', 'switchyard_domain_events'],
      ['event_delivery_lookbacks', 'switchyard_event_lookbacks'],
    ] as const) {
      this.addSql(`create or replace function "${table}_notify"() returns trigger language plpgsql as $$
begin
  perform pg_notify('${channel}', '');
  return null;
end
$$;`);
      this.addSql(`create trigger "${table}_notify" after insert on "${table}" for each row execute function "${table}_notify"();`);
    }
  }
}
