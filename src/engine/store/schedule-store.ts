import type { JsonObject, JsonValue, RecordedError } from '../../entities/json.js';
import type { ScheduleRunStatus } from '../../entities/schedule-run.entity.js';
import type { ExecutionStatus } from '../../entities/statuses.js';
import type { ScheduleCatchUp, ScheduleOverlap } from '../definition/step-types.js';
import type { Queryable } from '../../infra/queryable.js';
import { jsonList, listParam } from './trigger-store.js';
import type { RowOf } from './row-types.js';

/**
 * The SQL of schedules: mirroring workflows' `schedules` into workflow_schedules, claiming due ones,
 * recording what each tick did, the API's reads and pause/resume, and the scheduler's own schedules.
 * Times compared with "now" take it as a parameter: the scheduler's clock, simulated in tests.
 */

export interface ScheduleRow {
  id: string;
  tenantId: string;
  workflowId: string;
  workflowName: string;
  name: string;
  cron: string;
  timezone: string;
  input: JsonObject;
  catchUp: ScheduleCatchUp;
  overlap: ScheduleOverlap;
  /** The runs' priority among queued runs. */
  priority: number;
  workflowVersion: number;
  workflowActive: boolean;
  paused: boolean;
  nextFireAt: Date;
  lastFiredAt: Date | null;
  lastExecutionId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

type RawScheduleRow = RowOf<ScheduleRow>;

const SCHEDULE_COLUMNS = `s.id, s.tenant_id, s.workflow_id, w.name as workflow_name, s.name, s.cron, s.timezone, s.input, s.catch_up, s.overlap, s.priority,
  s.workflow_version, s.workflow_active, s.paused, s.next_fire_at, s.last_fired_at, s.last_execution_id, s.created_at, s.updated_at`;

function toSchedule(row: RawScheduleRow): ScheduleRow {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    workflowId: row.workflow_id,
    workflowName: row.workflow_name,
    name: row.name,
    cron: row.cron,
    timezone: row.timezone,
    input: row.input,
    catchUp: row.catch_up,
    overlap: row.overlap,
    priority: row.priority,
    workflowVersion: row.workflow_version,
    workflowActive: row.workflow_active,
    paused: row.paused,
    nextFireAt: new Date(row.next_fire_at),
    lastFiredAt: row.last_fired_at ? new Date(row.last_fired_at) : null,
    lastExecutionId: row.last_execution_id,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

// ── mirroring definitions ──────────────────────────────────────────────────────────────────────────

/** A workflow's current definition as far as schedules go. */
export interface ScheduledWorkflow {
  id: string;
  tenantId: string;
  name: string;
  version: number;
  active: boolean;
  /** The current definition's `schedules` (validated when saved), or null. */
  schedules: JsonValue;
}

const SCHEDULED_WORKFLOW_COLUMNS = `w.id, w.tenant_id as "tenantId", w.name, w.current_version as version, w.active, v.definition -> 'schedules' as schedules`;

/**
 * Workflows whose schedule rows do not mirror their current version and `active` yet: those with
 * schedules and no row of their current version, and those with rows of another version or activity.
 * Every tenant's, or one tenant's.
 */
export async function unsyncedWorkflows(db: Queryable, limit: number, tenantId?: string): Promise<ScheduledWorkflow[]> {
  return db.query<ScheduledWorkflow>(
    `select ${SCHEDULED_WORKFLOW_COLUMNS}
     from workflows w join workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
     where ($2::uuid is null or w.tenant_id = $2)
       and ((jsonb_typeof(v.definition -> 'schedules') = 'array' and jsonb_array_length(v.definition -> 'schedules') > 0
             and not exists (select 1 from workflow_schedules s where s.workflow_id = w.id and s.workflow_version = w.current_version))
         or exists (select 1 from workflow_schedules s where s.workflow_id = w.id
                    and (s.workflow_version <> w.current_version or s.workflow_active <> w.active)))
     order by w.id
     limit $1`,
    [limit, tenantId ?? null],
  );
}

export async function scheduledWorkflow(db: Queryable, tenantId: string, name: string): Promise<ScheduledWorkflow | undefined> {
  const [row] = await db.query<ScheduledWorkflow>(
    `select ${SCHEDULED_WORKFLOW_COLUMNS}
     from workflows w join workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
     where w.tenant_id = $1 and w.name = $2`,
    [tenantId, name],
  );
  return row;
}

/** An arbitrary constant: mirroring definitions into rows is done by one transaction at a time. */
const SYNC_LOCK = 7_358_201_115;

/** Takes the sync lock for the caller's transaction; false (without waiting) when another holds it. */
export async function trySyncLock(db: Queryable): Promise<boolean> {
  const [row] = await db.query<{ locked: boolean }>('select pg_try_advisory_xact_lock($1) as locked', [SYNC_LOCK]);
  return row?.locked === true;
}

/** Waits for the sync lock, for the caller's transaction. */
export async function syncLock(db: Queryable): Promise<void> {
  await db.query('select pg_advisory_xact_lock($1)', [SYNC_LOCK]);
}

/** A workflow's rows, locked: a scheduler firing one of them commits first, and its `next_fire_at` is the one read. */
export async function lockSchedulesOf(db: Queryable, workflowId: string): Promise<ScheduleRow[]> {
  const rows = await db.query<RawScheduleRow>(
    `select ${SCHEDULE_COLUMNS} from workflow_schedules s join workflows w on w.id = s.workflow_id
     where s.workflow_id = $1 order by s.name for update of s`,
    [workflowId],
  );
  return rows.map(toSchedule);
}

/** A schedule as the sync writes it (its state — paused, last fired — is the row's own). */
export type ScheduleUpsert = Pick<
  ScheduleRow,
  | 'tenantId'
  | 'workflowId'
  | 'name'
  | 'cron'
  | 'timezone'
  | 'input'
  | 'catchUp'
  | 'overlap'
  | 'priority'
  | 'workflowVersion'
  | 'workflowActive'
  | 'nextFireAt'
>;

export async function upsertSchedule(db: Queryable, schedule: ScheduleUpsert): Promise<void> {
  await db.query(
    `insert into workflow_schedules (id, tenant_id, workflow_id, name, cron, timezone, input, catch_up, overlap, priority,
                                     workflow_version, workflow_active, paused, next_fire_at, created_at, updated_at)
     values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $12, $9, $10, false, $11, now(), now())
     on conflict (workflow_id, name) do update set
       cron = excluded.cron, timezone = excluded.timezone, input = excluded.input, catch_up = excluded.catch_up,
       overlap = excluded.overlap, priority = excluded.priority, workflow_version = excluded.workflow_version, workflow_active = excluded.workflow_active,
       next_fire_at = excluded.next_fire_at, updated_at = now()`,
    [
      schedule.tenantId,
      schedule.workflowId,
      schedule.name,
      schedule.cron,
      schedule.timezone,
      JSON.stringify(schedule.input),
      schedule.catchUp,
      schedule.overlap,
      schedule.workflowVersion,
      schedule.workflowActive,
      schedule.nextFireAt,
      schedule.priority,
    ],
  );
}

/** Drops the rows of schedules the current definition no longer has (their runs go with them). */
export async function deleteSchedulesExcept(db: Queryable, workflowId: string, keep: readonly string[]): Promise<void> {
  await db.query(`delete from workflow_schedules where workflow_id = $1 and name not in ${jsonList('$2', 'text')}`, [
    workflowId,
    listParam(keep),
  ]);
}

// ── firing ─────────────────────────────────────────────────────────────────────────────────────────

/** Locks up to `limit` due schedules, skipping those another scheduler holds. Inside the caller's transaction. */
export async function claimDueSchedules(db: Queryable, now: Date, limit: number): Promise<ScheduleRow[]> {
  const rows = await db.query<RawScheduleRow>(
    `select ${SCHEDULE_COLUMNS} from workflow_schedules s join workflows w on w.id = s.workflow_id
     where not s.paused and s.workflow_active and w.active and s.next_fire_at <= $1
     order by s.next_fire_at
     limit $2
     for update of s skip locked`,
    [now, limit],
  );
  return rows.map(toSchedule);
}

export async function executionStatus(db: Queryable, executionId: string): Promise<ExecutionStatus | undefined> {
  const [row] = await db.query<{ status: ExecutionStatus }>('select status from executions where id = $1', [executionId]);
  return row?.status;
}

export interface ScheduleRunInput {
  tenantId: string;
  scheduleId: string;
  tickAt: Date;
  status: ScheduleRunStatus;
  ticks: number;
  executionId?: string;
  error?: RecordedError;
}

/** Records what a tick did; a tick handled again (after a crash) keeps its first record. */
export async function recordScheduleRun(db: Queryable, run: ScheduleRunInput): Promise<void> {
  await db.query(
    `insert into schedule_runs (id, tenant_id, schedule_id, tick_at, status, ticks, execution_id, error, created_at)
     values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, now())
     on conflict (schedule_id, tick_at) do nothing`,
    [
      run.tenantId,
      run.scheduleId,
      run.tickAt,
      run.status,
      run.ticks,
      run.executionId ?? null,
      run.error ? JSON.stringify(run.error) : null,
    ],
  );
}

export async function advanceSchedule(
  db: Queryable,
  id: string,
  next: Date,
  lastTick: Date | null,
  lastExecutionId: string | null,
): Promise<void> {
  await db.query(
    `update workflow_schedules set next_fire_at = $2, last_fired_at = coalesce($3, last_fired_at),
       last_execution_id = coalesce($4, last_execution_id), updated_at = now()
     where id = $1`,
    [id, next, lastTick, lastExecutionId],
  );
}

// ── the API ────────────────────────────────────────────────────────────────────────────────────────

/** A workflow's schedules by name, or (no workflow) every schedule of the tenant by workflow name and name. */
export async function schedulesOf(db: Queryable, tenantId: string, workflowId?: string): Promise<ScheduleRow[]> {
  const rows = await db.query<RawScheduleRow>(
    `select ${SCHEDULE_COLUMNS} from workflow_schedules s join workflows w on w.id = s.workflow_id
     where s.tenant_id = $1 and ($2::uuid is null or s.workflow_id = $2) order by w.name, s.name`,
    [tenantId, workflowId ?? null],
  );
  return rows.map(toSchedule);
}

/** Pauses or resumes; resuming sets the next tick (`resumeAt`), so ticks that passed while paused are not caught up. */
export async function setPaused(
  db: Queryable,
  tenantId: string,
  workflowId: string,
  name: string,
  paused: boolean,
  resumeAt: Date | undefined,
): Promise<ScheduleRow | undefined> {
  const [row] = await db.query<RawScheduleRow>(
    `with changed as (
       update workflow_schedules set
         next_fire_at = case when paused and not $4 and $5::timestamptz is not null then $5::timestamptz else next_fire_at end,
         paused = $4, updated_at = now()
       where tenant_id = $1 and workflow_id = $2 and name = $3
       returning *
     )
     select ${SCHEDULE_COLUMNS} from changed s join workflows w on w.id = s.workflow_id`,
    [tenantId, workflowId, name, paused, resumeAt ?? null],
  );
  return row && toSchedule(row);
}

export interface ScheduleRunRow {
  scheduleId: string;
  tickAt: Date;
  status: ScheduleRunStatus;
  ticks: number;
  executionId: string | null;
  error: RecordedError | null;
  createdAt: Date;
}

/** The latest `limit` runs of each schedule, newest first. */
export async function runsOf(db: Queryable, tenantId: string, scheduleIds: readonly string[], limit: number): Promise<ScheduleRunRow[]> {
  const rows = await db.query<RowOf<ScheduleRunRow>>(
    `select r.schedule_id, r.tick_at, r.status, r.ticks, r.execution_id, r.error, r.created_at
     from ${jsonList('$2', 'uuid')} as ids(id)
     cross join lateral (
       select * from schedule_runs r where r.tenant_id = $1 and r.schedule_id = ids.id order by r.tick_at desc limit $3
     ) r
     order by r.schedule_id, r.tick_at desc`,
    [tenantId, listParam(scheduleIds), limit],
  );
  return rows.map((row) => ({
    scheduleId: row.schedule_id,
    tickAt: new Date(row.tick_at),
    status: row.status,
    ticks: row.ticks,
    executionId: row.execution_id,
    error: row.error,
    createdAt: new Date(row.created_at),
  }));
}

// ── the scheduler's own schedules ──────────────────────────────────────────────────────────────────

/** Creates the row of a built-in schedule, or follows a change of its cron or zone (then from `next`). */
export async function ensureSystemSchedule(
  db: Queryable,
  schedule: { name: string; cron: string; timezone: string; next: Date },
): Promise<void> {
  await db.query(
    `insert into system_schedules (name, cron, timezone, next_fire_at, updated_at) values ($1, $2, $3, $4, now())
     on conflict (name) do update set cron = excluded.cron, timezone = excluded.timezone, updated_at = now(),
       next_fire_at = case when system_schedules.cron <> excluded.cron or system_schedules.timezone <> excluded.timezone
                           then excluded.next_fire_at else system_schedules.next_fire_at end`,
    [schedule.name, schedule.cron, schedule.timezone, schedule.next],
  );
}

export async function claimDueSystemSchedules(
  db: Queryable,
  names: readonly string[],
  now: Date,
): Promise<Array<{ name: string; nextFireAt: Date }>> {
  const rows = await db.query<{ name: string; next_fire_at: Date }>(
    `select name, next_fire_at from system_schedules where name in ${jsonList('$1', 'text')} and next_fire_at <= $2 order by name for update skip locked`,
    [listParam(names), now],
  );
  return rows.map((row) => ({ name: row.name, nextFireAt: new Date(row.next_fire_at) }));
}

export async function advanceSystemSchedule(db: Queryable, name: string, next: Date, firedAt: Date, result: JsonObject): Promise<void> {
  await db.query(
    'update system_schedules set next_fire_at = $2, last_fired_at = $3, last_result = $4, updated_at = now() where name = $1',
    [name, next, firedAt, JSON.stringify(result)],
  );
}
