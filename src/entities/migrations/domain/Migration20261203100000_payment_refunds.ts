import { Migration } from '@mikro-orm/migrations';

/** Issue 18, refunds of late captures: a payment intent can end `refunded`; the ledger books refunds beside captures. */
export class Migration20261203100000_payment_refunds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "payment_intents" drop constraint if exists "payment_intents_status_check";`);
    this.addSql(
      `alter table "payment_intents" add constraint "payment_intents_status_check" check ("status" in ('processing', 'succeeded', 'failed', 'canceled', 'refunded'));`,
    );
    this.addSql(`alter table "payment_intents" add column "refund_reference" text null, add column "refunded_at" timestamptz null;`);
    this.addSql(
      `alter table "payment_ledger_entries" add column "kind" text check ("kind" in ('capture', 'refund')) not null default 'capture';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "payment_ledger_entries" drop column "kind";`);
    this.addSql(`alter table "payment_intents" drop column "refund_reference", drop column "refunded_at";`);
    this.addSql(`alter table "payment_intents" drop constraint if exists "payment_intents_status_check";`);
    this.addSql(
      `alter table "payment_intents" add constraint "payment_intents_status_check" check ("status" in ('processing', 'succeeded', 'failed', 'canceled'));`,
    );
  }
}
