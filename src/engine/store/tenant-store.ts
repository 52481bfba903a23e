import { AppError } from '../../errors.js';
import { RUNNABLE_EXECUTION_STATUSES, sqlList } from '../../entities/statuses.js';
import type { Queryable } from '../../infra/queryable.js';

/**
 * A suspended tenant's runs are not started by its event triggers and schedules: the start is refused
 * with TENANT_SUSPENDED, which the dispatcher records on the event's delivery and the scheduler on the
 * tick's run (both permanent: not retried). Lifting the suspension lets the next ones start.
 */
export async function assertTenantNotSuspended(db: Queryable, tenantId: string): Promise<void> {
  const [tenant] = await db.query<{ slug: string; suspended: boolean }>(
    'select slug, suspended_at is not null as suspended from tenants where id = $1',
    [tenantId],
  );
  if (tenant?.suspended) {
    throw new AppError(
      'TENANT_SUSPENDED',
      `tenant ${tenant.slug} is suspended: its event triggers and schedules start no runs until a platform admin lifts the suspension`,
      {
        details: { tenant: tenant.slug },
      },
    );
  }
}

const RUNNABLE = sqlList(RUNNABLE_EXECUTION_STATUSES);

/**
 * The suspension asks each unfinished run of the tenant that nobody had paused to pause, as a pause
 * command does (the run stops at its next step boundary — no new step starts — and a waiting run is
 * parked paused, so no timer or event resumes it; a queued one stays queued and is passed over when
 * slots free), and remembers it in tenant_held_runs. $1 tenant
 */
const HOLD = `
with held as (
  update executions set pause_requested = true, signal_seq = signal_seq + 1, updated_at = now(),
    wake_at = case when status = 'queued' then null else now() end
  where tenant_id = $1 and (status in ${RUNNABLE} or status = 'queued') and not pause_requested
  returning id
)
insert into tenant_held_runs (execution_id, tenant_id, held_at)
select id, $1, now() from held
on conflict (execution_id) do nothing
returning execution_id`;

/** Lifting it resumes the runs it held (as a resume command does) and forgets them. $1 tenant */
const RELEASE = `
with released as (
  delete from tenant_held_runs where tenant_id = $1 returning execution_id
)
update executions e set pause_requested = false, signal_seq = e.signal_seq + 1, updated_at = now(),
  wake_at = case when e.status = 'queued' then null else now() end,
  status = case when e.status = 'paused' then 'waiting' else e.status end
from released r
where e.id = r.execution_id and (e.status = 'paused' or e.pause_requested)
returning e.id`;

/**
 * A run recorded while its tenant was being suspended, held as the suspension holds the others: paused
 * before its first step, its lease (if this process took one to run it at once) given back so any worker
 * parks it. Run as a statement of its own after the insert: the insert's foreign-key check waits on the
 * suspension's lock of the tenant row, so this statement's snapshot sees a suspension that won that
 * race, and a suspension that lost it waits for the insert to commit and then holds the run itself.
 * $1 tenant, $2 execution
 */
const HOLD_IF_SUSPENDED = `
with held as (
  update executions set pause_requested = true, signal_seq = signal_seq + 1, wake_at = now(), updated_at = now(),
    lease_owner = null, lease_expires_at = null
  where id = $2 and tenant_id = $1 and status in ${RUNNABLE} and not pause_requested
    and exists (select 1 from tenants where id = $1 and suspended_at is not null)
  returning id
)
insert into tenant_held_runs (execution_id, tenant_id, held_at)
select id, $1, now() from held
on conflict (execution_id) do nothing
returning execution_id`;

/** True when the run, just recorded, belongs to a suspended tenant and is now held (see HOLD_IF_SUSPENDED). */
export async function holdIfTenantSuspended(db: Queryable, tenantId: string, executionId: string): Promise<boolean> {
  return (await db.query(HOLD_IF_SUSPENDED, [tenantId, executionId])).length > 0;
}

/**
 * The suspension's transaction locks the tenant row first (FOR UPDATE), which conflicts with the
 * KEY SHARE lock an execution insert's foreign-key check takes (the UPDATE of suspended_at alone would
 * not: NO KEY UPDATE and KEY SHARE coexist). See HOLD_IF_SUSPENDED for the start's side.
 *
 * In the transaction that suspends a tenant (`suspended`) or lifts its suspension: holds its runs, or
 * resumes those held. Returns how many; the caller wakes the workers once it commits.
 */
export async function holdTenantRuns(db: Queryable, tenantId: string, suspended: boolean): Promise<number> {
  return (await db.query<{ id: string }>(suspended ? HOLD : RELEASE, [tenantId])).length;
}
