import { Migration } from '@mikro-orm/migrations';

/**
 * A released service instance no longer holds the idempotency key of the call that allocated it: the
 * unique key becomes a partial unique index over the instances that are not released. A compensation
 * releases the instance, so the same step, run again after a retry, allocates afresh under its key.
 */
export class Migration20261202110000_released_service_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "service_instances" drop constraint "service_instances_tenant_id_idempotency_key_unique";`);
    this.addSql(
      `create unique index "service_instances_live_idempotency_key_unique" on "service_instances" ("tenant_id", "idempotency_key") where "status" <> 'released';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "service_instances_live_idempotency_key_unique";`);
    this.addSql(
      `alter table "service_instances" add constraint "service_instances_tenant_id_idempotency_key_unique" unique ("tenant_id", "idempotency_key");`,
    );
  }
}
