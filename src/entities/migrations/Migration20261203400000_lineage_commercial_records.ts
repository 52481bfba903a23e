import { Migration } from '@mikro-orm/migrations';

const CHECK = 'record_lineage_record_type_check';
const typesIn = (types: readonly string[]) => `check ("record_type" in (${types.map((type) => `'${type}'`).join(', ')}))`;
const BEFORE = ['customer', 'subscription', 'license', 'deployment', 'allocation', 'order', 'ticket'];
const AFTER = [...BEFORE, 'lead', 'quote', 'invoice', 'payment', 'payment_intent', 'partner'];

/**
 * Lineage of the commercial records too: leads, quotes, invoices, payments, payment intents and partners
 * (entities/lineage-records.ts). Only the record type's check widens; rows already kept stay valid.
 */
export class Migration20261203400000_lineage_commercial_records extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "record_lineage" drop constraint "${CHECK}";`);
    this.addSql(`alter table "record_lineage" add constraint "${CHECK}" ${typesIn(AFTER)};`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "record_lineage" where "record_type" not in (${BEFORE.map((type) => `'${type}'`).join(', ')});`);
    this.addSql(`alter table "record_lineage" drop constraint "${CHECK}";`);
    this.addSql(`alter table "record_lineage" add constraint "${CHECK}" ${typesIn(BEFORE)};`);
  }
}
