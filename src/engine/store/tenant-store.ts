import { AppError } from '../../errors.js';
import { RUNNABLE_EXECUTION_STATUSES, sqlList } from '../../entities/statuses.js';
import type { Queryable } from '../../infra/queryable.js';

/**
 * TENANT_SUSPENDED for a start in a suspended tenant: an API start, a rerun, a retry, a resume, an event's
 * trigger or a schedule's tick (the dispatcher records it on the event's delivery and the scheduler on the
 * tick's run, both permanent: not retried). Lifting the suspension lets the next ones start.
 */
export function tenantSuspended(slug: string): AppError {
  return new AppError('TENANT_SUSPENDED', `tenant ${slug} is suspended: it starts no runs until a platform admin lifts the suspension`, {
    details: { tenant: slug },
  });
}

/**
 * Refuses with TENANT_SUSPENDED when the tenant is suspended, for a command that makes a run go on
 * (retry): a locking read (FOR KEY SHARE), so a suspension being committed is waited for and read, and a
 * later one waits for this transaction and then holds what it did. Starts fold the same read into their
 * insert (INSERT_EXECUTION), resume into its update.
 */
export async function assertTenantNotSuspended(db: Queryable, tenantId: string): Promise<void> {
  const [tenant] = await db.query<{ slug: string; suspended: boolean }>(
    'select slug, suspended_at is not null as suspended from tenants where id = $1 for key share',
    [tenantId],
  );
  if (tenant?.suspended) throw tenantSuspended(tenant.slug);
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
 * In the transaction that suspends a tenant (`suspended`) or lifts its suspension, after it locked the
 * tenant's row FOR UPDATE and changed suspended_at (auth/tenants.ts, setTenantSuspension): holds its
 * runs, or resumes those held. Returns how many; the caller wakes the workers once it commits.
 *
 * Why the row lock makes this exact: every start reads the suspension FOR KEY SHARE in the statement
 * that records its run (INSERT_EXECUTION), and that conflicts with FOR UPDATE (the UPDATE of
 * suspended_at alone takes NO KEY UPDATE, which would not). A start recorded first makes the suspension
 * wait for its commit, and this statement, whose snapshot is taken after the lock, holds its run; a
 * start coming second waits for the suspension and reads it (READ COMMITTED locks the newest row):
 * refused, or recorded held if it is a running run's child.
 */
export async function holdTenantRuns(db: Queryable, tenantId: string, suspended: boolean): Promise<number> {
  return (await db.query<{ id: string }>(suspended ? HOLD : RELEASE, [tenantId])).length;
}
