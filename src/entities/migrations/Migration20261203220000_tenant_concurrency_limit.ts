import { Migration } from '@mikro-orm/migrations';

/** A tenant's own limit of top-level runs in progress (flow control); null: the deployment's SWITCHYARD_TENANT_CONCURRENCY_LIMIT. */
export class Migration20261203220000_tenant_concurrency_limit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "tenants" add column "concurrency_limit" int null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "tenants" drop column "concurrency_limit";`);
  }
}
