import { RUNNABLE_EXECUTION_STATUSES, sqlList } from '../../entities/statuses.js';
import { CHECKPOINT_EVENT_COLUMNS, CHECKPOINT_EXECUTION_COLUMNS, CHECKPOINT_WAIT_COLUMNS } from './checkpoint-rows.js';
import { positionalTable } from './positional-rows.js';
import { RUNNABLE_START_COLUMNS } from './start-rows.js';
import { STEP_COLUMN_TYPES, stepColumns } from './step-rows.js';

/**
 * Every SQL statement of the durable runtime, one per operation. Each is a single statement (CTEs),
 * so it is one round trip and, outside an explicit transaction, one commit.
 *
 * Fencing: every write of a lease holder is conditional on `lease_epoch`, which each acquisition
 * raises; a worker that lost its lease writes nothing.
 */

/**
 * The run queue is the executions table itself: an execution is runnable when it is pending, running
 * or waiting, nobody holds its lease, and its `wake_at` has come (CLAIM). Whatever makes a run
 * runnable sets `wake_at` (now, or a timer's time) and, after committing, wakes the workers (see
 * engine/wakeups.ts); a worker that hears nothing still polls. No statement here issues NOTIFY: a
 * transaction that notifies serialises on PostgreSQL's database-wide commit lock.
 */

/** The statuses a worker runs (the partial indexes of the run queue spell out the same list). */
const LIVE = sqlList(RUNNABLE_EXECUTION_STATUSES);

/**
 * The tenant, read FOR KEY SHARE in the statement that records a run: a suspension being committed (it
 * locks the row FOR UPDATE, auth/tenants.ts) is waited for and read, and one coming later waits for this
 * transaction and then holds the run (engine/store/tenant-store.ts). Free next to the insert: its
 * foreign-key check takes the same lock. $2 tenant
 */
const TENANT_FOR_START = `tenant as (
  select suspended_at is not null as suspended, slug from tenants where id = $2 for key share
)`;

/**
 * Records a new execution with its first event, runnable at once, atomically — or, with `$17`, held
 * back by a concurrency limit: `queued`, not runnable, with its `execution.queued` event. With an
 * idempotency key, a second start records nothing (the caller then reads the existing execution). In a
 * suspended tenant only with `$18` (a running run's child, whose step is already under way): recorded
 * held — pause_requested and in tenant_held_runs, so a worker parks it before its first step and lifting
 * the suspension resumes it — while any other start records nothing (the caller refuses it).
 * Answers one row: the id recorded (or null), whether the tenant is suspended and its slug.
 * $1 id, $2 tenant, $3 workflow, $4 version, $5 context, $6 trigger type, $7 trigger source,
 * $8 idempotency key, $9 parent execution, $10 parent step key, $11 first event payload, $12 request id,
 * $13 trace context (`traceparent`), $14 priority, $15 concurrency key, $16 concurrency limit, $17 queued,
 * $18 held (not refused) when the tenant is suspended
 */
export const INSERT_EXECUTION = `
with ${TENANT_FOR_START}, inserted as (
  insert into executions (id, tenant_id, workflow_id, workflow_version, status, context, trigger_type, trigger_source,
                          idempotency_key, parent_execution_id, parent_step_key, created_at, updated_at, wake_at, last_event_seq,
                          request_id, trace_parent, priority, concurrency_key, concurrency_limit, pause_requested)
  select $1, $2, $3, $4, case when $17::boolean then 'queued' else 'pending' end, $5, $6, $7, $8, $9, $10, now(), now(),
         case when $17::boolean then null else now() end, case when $17::boolean then 2 else 1 end, $12, $13, $14, $15, $16,
         tenant.suspended
  from tenant where not tenant.suspended or $18::boolean
  on conflict (tenant_id, idempotency_key) where idempotency_key is not null do nothing
  returning id, created_at, pause_requested
), event as (
  insert into execution_events (execution_id, seq, type, payload, created_at)
  select id, 1, 'execution.created', $11, created_at from inserted
  union all
  select id, 2, 'execution.queued', '{"status":"queued"}'::jsonb, created_at from inserted where $17::boolean
), held as (
  insert into tenant_held_runs (execution_id, tenant_id, held_at)
  select id, $2, now() from inserted where pause_requested
)
select inserted.id, tenant.suspended, tenant.slug from tenant left join inserted on true`;

/**
 * Like INSERT_EXECUTION, for a batch of runs that are runnable at once — in one statement and one commit
 * (starts arriving together are group-committed). A row with a `lease_owner` is created already leased
 * to it (this process's own worker runs it right away): `running`, with its `execution.started` event,
 * needing neither a trip through the queue nor a lease acquisition; should this process die, the lease
 * expires and the recovery scan queues the execution for another worker (RECOVER) — the same path that
 * resumes any dead worker's runs. A row without one is `pending`, due for any worker (woken after the
 * commit). Only while the workflow is active and, with `version_must_be_current`, its current version
 * is still the row's (a stale cached lookup inserts nothing, and the caller looks again), and never in a
 * suspended tenant (nothing recorded, `tenant_suspended`: the caller goes through INSERT_EXECUTION,
 * which refuses or holds). Answers one row per input row whose tenant exists, by `ord`: the row as
 * ACQUIRE_LEASE returns it — its columns null when nothing was recorded.
 * $1 the inputs: a JSON array of positional rows (positional-rows.ts, start-rows.ts); $2 and $3 the
 * step rows and events of leased runs' first checkpoints, as CHECKPOINT's $2 and $3 (seq after the start's two)
 */
export const INSERT_RUNNABLE_EXECUTIONS = `
with input as (
  select *, lease_owner is not null as leased from ${positionalTable(RUNNABLE_START_COLUMNS, '$1')} as x
), tenant as (
  -- As TENANT_FOR_START, for each tenant of the batch.
  select id, suspended_at is not null as suspended from tenants where id in (select tenant_id from input) for key share
), inserted as (
  insert into executions (id, tenant_id, workflow_id, workflow_version, status, context, trigger_type, trigger_source,
                          idempotency_key, parent_execution_id, parent_step_key, created_at, updated_at, started_at, wake_at,
                          last_event_seq, lease_owner, lease_epoch, lease_expires_at, request_id, trace_parent, priority, concurrency_key, concurrency_limit)
  select i.id, i.tenant_id, i.workflow_id, i.workflow_version, case when i.leased then 'running' else 'pending' end, i.context,
         i.trigger_type, i.trigger_source, i.idempotency_key, i.parent_execution_id, i.parent_step_key, now(), now(),
         case when i.leased then now() end, now(), case when i.leased then 2 + i.first_events else 1 end, i.lease_owner,
         case when i.leased then 1 else 0 end, case when i.leased then now() + make_interval(secs => i.lease_seconds) end,
         i.request_id, i.trace_parent, i.priority, i.concurrency_key, i.concurrency_limit
  from input i join tenant t on t.id = i.tenant_id
  where not t.suspended
    and exists (select 1 from workflows w where w.id = i.workflow_id and w.active
                and (not i.version_must_be_current or w.current_version = i.workflow_version))
  order by i.ord
  on conflict (tenant_id, idempotency_key) where idempotency_key is not null do nothing
  returning *
), first_steps as (
  -- A run leased here may bring its first checkpoint (runtime/admission.ts): its step rows and events
  -- commit with it, and only if it was recorded leased.
  insert into execution_steps (${stepColumns()})
  select ${stepColumns('s.')}
  from ${positionalTable(STEP_COLUMN_TYPES, '$2')} as s
  join inserted n on n.id = s.execution_id and n.lease_owner is not null
), events as (
  insert into execution_events (execution_id, seq, type, step_key, payload, created_at)
  select n.id, 1, 'execution.created', null, i.created_payload, n.created_at from inserted n join input i on i.id = n.id
  union all
  select id, 2, 'execution.started', null, '{"status":"running"}'::jsonb, created_at from inserted where lease_owner is not null
  union all
  select v.execution_id, 2 + v.idx, v.type, v.step_key, v.payload, n.created_at
  from ${positionalTable(CHECKPOINT_EVENT_COLUMNS, '$3')} as v
  join inserted n on n.id = v.execution_id and n.lease_owner is not null
)
select i.ord, n.*, 'pending' as previous_status, t.suspended as tenant_suspended
from input i join tenant t on t.id = i.tenant_id left join inserted n on n.id = i.id`;

/**
 * Takes the leases of up to `$3` runnable executions, earliest due first, raising each epoch; rows
 * another worker is claiming are skipped, not waited for. A pending or waiting execution becomes
 * running (with its `execution.started` or `execution.resumed` event). Only runs due for at least `$4`
 * seconds (by the database's clock, which also stamps `wake_at` — packing, runtime/claim-pacing.ts).
 * $1 owner, $2 lease seconds, $3 how many, $4 seconds due
 */
export const CLAIM = `
with due as (
  select id, status from executions
  where status in ${LIVE} and lease_owner is null and wake_at <= now() - make_interval(secs => $4)
  order by wake_at
  limit $3
  for update skip locked
), acquired as (
  update executions e set
    lease_owner = $1,
    lease_epoch = e.lease_epoch + 1,
    lease_expires_at = now() + make_interval(secs => $2),
    status = 'running',
    started_at = coalesce(e.started_at, now()),
    last_event_seq = e.last_event_seq + case when d.status = 'running' then 0 else 1 end,
    updated_at = now()
  from due d
  where e.id = d.id
  returning e.*, d.status as previous_status
), event as (
  insert into execution_events (execution_id, seq, type, payload, created_at)
  select id, last_event_seq, case when previous_status = 'pending' then 'execution.started' else 'execution.resumed' end,
         json_build_object('status', 'running'), now()
  from acquired where previous_status <> 'running'
)
select * from acquired`;

/** $1 id, $2 epoch, $3 lease seconds → the signal counter, or nothing when the lease is lost. */
export const RENEW_LEASE = `
update executions set lease_expires_at = now() + make_interval(secs => $3)
where id = $1 and lease_epoch = $2 and lease_owner is not null and status = 'running'
returning signal_seq, cancel_requested, pause_requested`;

/**
 * When the events a `since: run` wait may be resumed by begin (for the wait row `w`): the earliest of the
 * run's creation, the start of its earliest recorded step (a rerun's kept steps started in the run it
 * reruns, and what they caused is its own) and, for a run an event started, that event — so an event a
 * step caused, or one recorded while the run was still being started, is not missed because it came
 * before the wait's step started. A retried run keeps its creation time: earlier attempts' events count.
 */
const RUN_EVENTS_SINCE = `(
  select least(
    x.created_at,
    (select min(s.started_at) from execution_steps s where s.execution_id = x.id),
    (select t.occurred_at from domain_events t
     where x.trigger_type = 'event' and t.tenant_id = x.tenant_id
       and t.id = substring(x.trigger_source from ':([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$')::uuid))
  from executions x where x.id = w.execution_id
)`;

/**
 * CHECKPOINT's part that registers event waits ($4): a statement for a batch without any leaves it out
 * (CHECKPOINT_WITHOUT_WAITS, three parameters) — its two inserts cost their executor's set-up on every
 * statement (bench:engine: ~5 % of the machine's CPU per workflow).
 */
const CHECKPOINT_WAITS = `
), wait_rows as (
  insert into execution_waits (execution_id, step_key, tenant_id, event_name, match, expires_at, events_since, created_at)
  select w.execution_id, w.step_key, w.tenant_id, w.event_name, w.match, w.expires_at,
         case when w.since_run then ${RUN_EVENTS_SINCE} end, now()
  from ${positionalTable(CHECKPOINT_WAIT_COLUMNS, '$4')} as w
  join fenced f on f.id = w.execution_id
  on conflict (execution_id, step_key) do nothing
  returning execution_id, step_key
), wait_lookbacks as (
  -- A matching event dispatched a moment before this wait existed must still resume it: the event
  -- dispatcher takes this row and looks back at the events since the step (or, with since: run, the
  -- run) started (triggers/lookback.ts).
  insert into event_delivery_lookbacks (execution_id, step_key, created_at)
  select execution_id, step_key, now() from wait_rows
`;

const checkpointStatement = (waits: boolean) => `
with input as (
  select * from ${positionalTable(CHECKPOINT_EXECUTION_COLUMNS, '$1')} as x
), child_ends as (
  -- Runs of this batch whose child ends in it too (their holder is checkpointing while the child ends):
  -- a statement updates a row once, so their own update below carries the signal, not \`parents\`.
  select x.parent_execution_id as parent_id, count(*)::int as ended
  from input i join executions x on x.id = i.execution_id
  where i.terminal and x.parent_execution_id = any(array(select execution_id from input))
  group by x.parent_execution_id
), fenced as (
  update executions e set
    status = coalesce(i.status, e.status),
    result = case when i.terminal then i.result else e.result end,
    error = case when i.terminal then i.error else e.error end,
    completed_at = case when i.terminal then now() else e.completed_at end,
    -- The lease is extended by the holder's heartbeat, not here: leaving the indexed lease and wake
    -- columns alone keeps a step's checkpoint a HOT update of the execution row.
    lease_owner = case when i.terminal then null else e.lease_owner end,
    lease_expires_at = case when i.terminal then null else e.lease_expires_at end,
    wake_at = case when i.terminal then null when c.ended is not null then now() else e.wake_at end,
    signal_seq = e.signal_seq + coalesce(c.ended, 0),
    last_event_seq = e.last_event_seq + i.events,
    updated_at = now()
  from input i left join child_ends c on c.parent_id = i.execution_id
  -- The ids as an array too: the planner, which guesses 100 input rows, then reads them through the
  -- primary key instead of scanning the whole table (it did while the table held a few thousand runs).
  where e.id = any(array(select execution_id from input))
    and e.id = i.execution_id and e.lease_epoch = i.epoch and e.lease_owner is not null
  returning e.id, e.last_event_seq, e.signal_seq, e.parent_execution_id, i.terminal, i.events, e.tenant_id, e.workflow_id,
            e.concurrency_key, e.concurrency_limit
), step_rows as (
  insert into execution_steps as t (${stepColumns()})
  select ${stepColumns('s.')}
  from ${positionalTable(STEP_COLUMN_TYPES, '$2')} as s
  join fenced f on f.id = s.execution_id
  on conflict (execution_id, key) do update set
    status = excluded.status, input = excluded.input, output = excluded.output, error = excluded.error,
    attempts = excluded.attempts, started_at = excluded.started_at, completed_at = excluded.completed_at,
    next_attempt_at = excluded.next_attempt_at, compensation = excluded.compensation, sequence = excluded.sequence
), event_rows as (
  insert into execution_events (execution_id, seq, type, step_key, payload, created_at)
  select v.execution_id, f.last_event_seq - f.events + v.idx, v.type, v.step_key, v.payload, now()
  from ${positionalTable(CHECKPOINT_EVENT_COLUMNS, '$3')} as v
  join fenced f on f.id = v.execution_id
${waits ? CHECKPOINT_WAITS : ''}), parents as (
  -- A finished child makes its parent runnable (its holder, if any, sees the signal instead).
  update executions p set signal_seq = p.signal_seq + 1, wake_at = now(), updated_at = now()
  from fenced f
  -- The parents by primary key (an array, as above); the status only checked on them, never looked up
  -- through its index ("is true"), which would read an entry for every live run in the table.
  where f.terminal and p.id = any(array(select parent_execution_id from fenced where terminal))
    and p.id = f.parent_execution_id and (p.status in ${LIVE}) is true
    and not exists (select 1 from fenced x where x.id = p.id)
  returning p.id
)
select f.id, f.last_event_seq, f.signal_seq, (select count(*) from parents)::int as parents_signalled, f.terminal, f.tenant_id,
       f.workflow_id, f.concurrency_key, f.concurrency_limit, f.parent_execution_id is null as top_level
from fenced f`;

/**
 * Checkpoints many executions at once (group commit). Items whose fence fails are simply absent from
 * the result. $1 executions, $2 step rows, $3 events, $4 event waits: JSON arrays of positional rows
 * (positional-rows.ts, checkpoint-rows.ts).
 */
export const CHECKPOINT = checkpointStatement(true);
export const CHECKPOINT_WITHOUT_WAITS = checkpointStatement(false);

/**
 * Releases the lease of an execution that cannot go on now: waiting (timer, event, child run, retry
 * backoff) or paused. Refused when a signal arrived since `$5` (the holder then looks again).
 * $1 id, $2 epoch, $3 status, $4 wake at (nullable), $5 expected signal seq, $6 event type, $7 event payload
 */
export const PARK = `
with parked as (
  update executions e set
    status = $3, lease_owner = null, lease_expires_at = null, wake_at = $4::timestamptz,
    last_event_seq = e.last_event_seq + 1, updated_at = now()
  where e.id = $1 and e.lease_epoch = $2 and e.signal_seq = $5
  returning e.id, e.last_event_seq
), event as (
  insert into execution_events (execution_id, seq, type, payload, created_at)
  select id, last_event_seq, $6, $7, now() from parked
)
select id, last_event_seq from parked`;

/**
 * Raises an execution's signal and makes it runnable, so that whoever runs it (its holder, or the
 * next worker to claim it) looks again. $1 id, $2 tenant
 */
export const SIGNAL = `
update executions set signal_seq = signal_seq + 1, wake_at = now(), updated_at = now()
where id = $1 and tenant_id = $2 and status in ${LIVE}
returning id`;

/**
 * Executions whose worker died (lease expired, the heartbeat stopped): released and runnable at once.
 * The epoch is left as it is; the next claim raises it, which fences the old holder out. $1 limit
 */
export const RECOVER = `
with expired as (
  select id from executions
  where status in ${LIVE} and lease_owner is not null and lease_expires_at < now()
  order by lease_expires_at
  limit $1
  for update skip locked
)
update executions e set lease_owner = null, lease_expires_at = null, wake_at = now(), updated_at = now()
from expired where e.id = expired.id
returning e.id`;

/**
 * Hands a held execution back at once (this worker is shutting down): the lease is given up and the
 * run is due now, so another worker takes it at once rather than after the lease expires. $1 id, $2 epoch
 */
export const HAND_BACK = `
update executions set lease_owner = null, lease_expires_at = null, wake_at = now(), updated_at = now()
where id = $1 and lease_epoch = $2 and lease_owner is not null
returning id`;

/**
 * Lets a lease that this worker can no longer use (its run failed) expire now, so the recovery scan
 * releases the execution at its next pass (not at once: a run that fails for a defect must not spin). $1 id, $2 epoch
 */
export const EXPIRE_LEASE = `
update executions set lease_expires_at = now(), updated_at = now()
where id = $1 and lease_epoch = $2 and lease_owner is not null
returning id`;

/** $1 execution id */
export const LOAD_STEPS = `
select ${stepColumns()} from execution_steps where execution_id = $1`;

/** $1 execution id */
export const LOAD_WAITS = `
select step_key, event_name, match, expires_at, resolved_at, resolved_event_id, resolved_payload
from execution_waits where execution_id = $1`;

/** $1 parent execution id */
export const LOAD_CHILDREN = `
select id, parent_step_key, status, result, error from executions where parent_execution_id = $1 order by created_at, id`;

/** $1 workflow id, $2 version */
export const LOAD_DEFINITION = `select definition from workflow_versions where workflow_id = $1 and version = $2`;
