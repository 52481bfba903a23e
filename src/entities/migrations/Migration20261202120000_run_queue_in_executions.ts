import { Migration } from '@mikro-orm/migrations';

/**
 * The run queue moves into the executions table (CLAIM in engine/store/sql.ts): a run is claimable when
 * it is live, unleased and due. Two partial indexes serve the claim (due, by `wake_at`) and the recovery
 * scan (expired leases, by `lease_expires_at`); a claim or release moves a row from one to the other.
 * Runs that a job of the former queue (graphile-worker) would have woken are made due now, so an upgrade
 * loses none.
 */
export class Migration20261202120000_run_queue_in_executions extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "executions_runnable_index" on "executions" ("wake_at") where "status" in ('pending', 'running', 'waiting') and "lease_owner" is null;`,
    );
    this.addSql(
      `create index "executions_leased_index" on "executions" ("lease_expires_at") where "status" in ('pending', 'running', 'waiting') and "lease_owner" is not null;`,
    );
    this.addSql(`drop index if exists "executions_recoverable_index";`);
    this.addSql(`do $$
begin
  if to_regclass('graphile_worker._private_jobs') is not null then
    update executions e set wake_at = least(coalesce(e.wake_at, now()), j.run_at)
    from graphile_worker._private_jobs j
    where j.payload->>'executionId' = e.id::text and e.status in ('pending', 'running', 'waiting') and e.lease_owner is null;
  end if;
end
$$;`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `create index "executions_recoverable_index" on "executions" ("lease_expires_at", "wake_at") where "status" in ('pending', 'running', 'waiting');`,
    );
    this.addSql(`drop index if exists "executions_runnable_index";`);
    this.addSql(`drop index if exists "executions_leased_index";`);
  }
}
