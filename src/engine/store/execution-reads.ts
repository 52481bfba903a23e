import type { JsonObject, JsonValue, RecordedError } from '../../entities/json.js';
import type { ExecutionStatus, StepStatus, TriggerType } from '../../entities/statuses.js';
import { AppError } from '../../errors.js';
import type { ExecutionEventMessage } from '../topics.js';
import type { Queryable } from './queryable.js';
import type { WorkflowRecord } from './workflow-store.js';

/**
 * The API's read models: executions, their steps and event logs, workflows, their versions and
 * statistics. Every statement is confined to one tenant (`tenant_id = $1`, children reached through
 * their execution or workflow), and the only way to get these reads is `createExecutionReads(db,
 * tenantId)`: a caller binds the tenant once and cannot leave it out of a query. Batched by design —
 * each "many ids" read is one statement, for the API's DataLoaders.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

export const MAX_PAGE_SIZE = 100;
export const MAX_EVENT_PAGE_SIZE = 1_000;

export interface ExecutionRecord {
  id: string;
  tenantId: string;
  workflowId: string;
  workflowVersion: number;
  status: ExecutionStatus;
  context: JsonObject;
  result: JsonValue | null;
  error: RecordedError | null;
  triggerType: TriggerType;
  triggerSource: string | null;
  idempotencyKey: string | null;
  parentExecutionId: string | null;
  parentStepKey: string | null;
  cancelRequested: boolean;
  pauseRequested: boolean;
  /** The sequence number of the last event in the execution's log. */
  lastEventSeq: number;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  updatedAt: Date;
}

export interface CompensationRecordView {
  status: string;
  error: RecordedError | null;
  at: Date | null;
}

export interface StepRecord {
  executionId: string;
  key: string;
  name: string;
  type: string;
  sequence: number;
  status: StepStatus;
  /** The step's resolved parameters. */
  input: JsonValue | null;
  output: JsonValue | null;
  error: RecordedError | null;
  attempts: number;
  startedAt: Date | null;
  completedAt: Date | null;
  nextAttemptAt: Date | null;
  compensation: CompensationRecordView | null;
}

export interface WorkflowVersionRecord {
  workflowId: string;
  version: number;
  /** The author's label of this version, if given. */
  label: string | null;
  definition: JsonObject;
  createdAt: Date;
}

export interface StepFailureCount {
  step: string;
  failures: number;
}

export interface WorkflowStatsRecord {
  workflowId: string;
  total: number;
  successful: number;
  failed: number;
  cancelled: number;
  /** Not finished yet: pending, running, waiting or paused. */
  running: number;
  /** successful / (successful + failed + cancelled); null while none finished. */
  successRate: number | null;
  /** Over finished runs that started (completed, failed or cancelled): completedAt − startedAt. */
  averageDurationMs: number | null;
  p95DurationMs: number | null;
  /** Per step key: in how many of these runs the step ended failed. Most failures first. */
  stepFailures: StepFailureCount[];
}

export interface TimeWindow {
  /** Runs created at or after this. */
  from?: Date | undefined;
  /** Runs created before this. */
  to?: Date | undefined;
}

export interface ExecutionListFilter {
  /** A workflow's name. */
  workflow?: string | undefined;
  statuses?: readonly ExecutionStatus[] | undefined;
  triggers?: readonly TriggerType[] | undefined;
  startedAfter?: Date | undefined;
  startedBefore?: Date | undefined;
  /** JSON containment (`context @> contextMatch`). */
  contextMatch?: JsonObject | undefined;
}

export interface WorkflowPageFilter {
  active?: boolean | undefined;
  /** Workflows carrying every one of these tags. */
  tags?: readonly string[] | undefined;
  /** Case-insensitive substring of the name. */
  nameContains?: string | undefined;
}

export interface PageRequest {
  first: number;
  /** An `endCursor` of the previous page. */
  after?: string | undefined;
}

export interface Page<T> {
  items: Array<{ cursor: string; node: T }>;
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface EventPage {
  events: ExecutionEventMessage[];
  hasNextPage: boolean;
}

/** The start of a progress stream: the execution as it is now and its log after a sequence number. */
export interface ProgressSnapshot {
  status: ExecutionStatus;
  lastEventSeq: number;
  events: ExecutionEventMessage[];
}

/** Reads confined to one tenant. */
export interface ExecutionReads {
  readonly tenantId: string;
  executionPage(filter: ExecutionListFilter, page: PageRequest): Promise<Page<ExecutionRecord>>;
  /** Unknown, malformed and other tenants' ids are simply absent. */
  executionsByIds(ids: readonly string[]): Promise<ExecutionRecord[]>;
  /** In each execution's step order. */
  stepsOf(executionIds: readonly string[]): Promise<StepRecord[]>;
  /** For each execution, up to `first` events after sequence `after` (and whether more follow). */
  eventsOf(executionIds: readonly string[], after: number, first: number): Promise<Map<string, EventPage>>;
  /** Undefined when the execution is not this tenant's. */
  progress(executionId: string, after: number, first: number): Promise<ProgressSnapshot | undefined>;
  workflowPage(filter: WorkflowPageFilter, page: PageRequest): Promise<Page<WorkflowRecord>>;
  /** With their current versions' definitions. */
  workflowsByIds(ids: readonly string[]): Promise<WorkflowRecord[]>;
  workflowByName(name: string): Promise<WorkflowRecord | undefined>;
  /** Newest first. */
  versionsOf(workflowIds: readonly string[]): Promise<WorkflowVersionRecord[]>;
  statsOf(workflowIds: readonly string[], window: TimeWindow): Promise<WorkflowStatsRecord[]>;
}

// ── rows ───────────────────────────────────────────────────────────────────────────────────────────

interface ExecutionRow {
  id: string;
  tenant_id: string;
  workflow_id: string;
  workflow_version: number;
  status: ExecutionStatus;
  context: JsonObject;
  result: JsonValue | null;
  error: RecordedError | null;
  trigger_type: TriggerType;
  trigger_source: string | null;
  idempotency_key: string | null;
  parent_execution_id: string | null;
  parent_step_key: string | null;
  cancel_requested: boolean;
  pause_requested: boolean;
  last_event_seq: number;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  updated_at: Date;
  cursor_at?: string;
}

const EXECUTION_COLUMNS = `e.id, e.tenant_id, e.workflow_id, e.workflow_version, e.status, e.context, e.result, e.error, e.trigger_type,
  e.trigger_source, e.idempotency_key, e.parent_execution_id, e.parent_step_key, e.cancel_requested, e.pause_requested,
  e.last_event_seq, e.created_at, e.started_at, e.completed_at, e.updated_at`;

/** Microsecond-exact and zone-free, so that a cursor finds its row again. */
const cursorTime = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function toExecution(row: ExecutionRow): ExecutionRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    workflowId: row.workflow_id,
    workflowVersion: row.workflow_version,
    status: row.status,
    context: row.context,
    result: row.result,
    error: row.error,
    triggerType: row.trigger_type,
    triggerSource: row.trigger_source,
    idempotencyKey: row.idempotency_key,
    parentExecutionId: row.parent_execution_id,
    parentStepKey: row.parent_step_key,
    cancelRequested: row.cancel_requested,
    pauseRequested: row.pause_requested,
    lastEventSeq: Number(row.last_event_seq),
    createdAt: row.created_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    updatedAt: row.updated_at,
  };
}

interface StepRow {
  execution_id: string;
  key: string;
  name: string;
  type: string;
  sequence: number;
  status: StepStatus;
  input: JsonValue | null;
  output: JsonValue | null;
  error: RecordedError | null;
  attempts: number;
  started_at: Date | null;
  completed_at: Date | null;
  next_attempt_at: Date | null;
  compensation: JsonValue | null;
}

function toCompensation(value: JsonValue | null): CompensationRecordView | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const { status, error, at } = value;
  return {
    status: typeof status === 'string' ? status : 'unknown',
    error: isRecordedError(error) ? error : null,
    at: typeof at === 'string' ? new Date(at) : null,
  };
}

function isRecordedError(value: JsonValue | undefined): value is RecordedError {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value['code'] === 'string' && typeof value['message'] === 'string';
}

function toStep(row: StepRow): StepRecord {
  return {
    executionId: row.execution_id,
    key: row.key,
    name: row.name,
    type: row.type,
    sequence: row.sequence,
    status: row.status,
    input: row.input,
    output: row.output,
    error: row.error,
    attempts: row.attempts,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    nextAttemptAt: row.next_attempt_at,
    compensation: toCompensation(row.compensation),
  };
}

interface EventRow {
  execution_id: string;
  seq: number;
  type: string;
  step_key: string | null;
  payload: JsonObject;
  created_at: Date;
}

function toEvent(tenantId: string, row: EventRow): ExecutionEventMessage {
  return {
    executionId: row.execution_id,
    tenantId,
    seq: Number(row.seq),
    type: row.type,
    stepKey: row.step_key,
    payload: row.payload,
    at: row.created_at.toISOString(),
  };
}

interface WorkflowRow {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  current_version: number;
  active: boolean;
  tags: string[];
  created_at: Date;
  updated_at: Date;
  definition: JsonObject;
  label: string | null;
  cursor_name?: string;
}

function toWorkflow(row: WorkflowRow): WorkflowRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    description: row.description,
    version: row.current_version,
    versionLabel: row.label,
    definition: row.definition,
    active: row.active,
    tags: row.tags,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const WORKFLOW_COLUMNS = `w.id, w.tenant_id, w.name, w.description, w.current_version, w.active, w.tags, w.created_at, w.updated_at, v.definition, v.label`;
const WORKFLOW_FROM = `workflows w join workflow_versions v on v.workflow_id = w.id and v.version = w.current_version`;

// ── cursors ────────────────────────────────────────────────────────────────────────────────────────

/** Opaque to clients: base64url of the keyset position. */
function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** A page of `limit` rows out of `limit + 1` fetched: the extra row only says whether more follow. */
function pageOf<R, N>(rows: readonly R[], limit: number, cursorParts: (row: R) => string[], toNode: (row: R) => N) {
  const items = rows.slice(0, limit).map((row) => ({ cursor: encodeCursor(cursorParts(row)), node: toNode(row) }));
  return { items, hasNextPage: rows.length > limit, endCursor: items.at(-1)?.cursor ?? null };
}

function decodeCursor(cursor: string, check: (parts: string[]) => boolean): string[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  if (!Array.isArray(parts) || !parts.every((part): part is string => typeof part === 'string') || !check(parts)) {
    throw new AppError('BAD_USER_INPUT', `"${cursor.slice(0, 100)}" is not a cursor of this list`);
  }
  return parts;
}

function pageSize(first: number, max: number): number {
  if (!Number.isInteger(first) || first < 0 || first > max) throw new AppError('BAD_USER_INPUT', `first must be an integer from 0 to ${max}`);
  return first;
}

/** Builds `$n` placeholders as values are added. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

// ── statements ─────────────────────────────────────────────────────────────────────────────────────

/** $1 tenant, $2 ids */
const EXECUTIONS_BY_IDS = `select ${EXECUTION_COLUMNS} from executions e where e.tenant_id = $1 and e.id = any($2::uuid[])`;

/** $1 tenant, $2 execution ids */
const STEPS_OF = `
select s.execution_id, s.key, s.name, s.type, s.sequence, s.status, s.input, s.output, s.error, s.attempts,
       s.started_at, s.completed_at, s.next_attempt_at, s.compensation
from execution_steps s
where s.execution_id in (select e.id from executions e where e.tenant_id = $1 and e.id = any($2::uuid[]))
order by s.execution_id, s.sequence, s.key`;

/** $1 tenant, $2 execution ids, $3 after, $4 limit */
const EVENTS_OF = `
select e.id as execution_id, ev.seq, ev.type, ev.step_key, ev.payload, ev.created_at
from executions e
cross join lateral (
  select x.seq, x.type, x.step_key, x.payload, x.created_at from execution_events x
  where x.execution_id = e.id and x.seq > $3 order by x.seq limit $4
) ev
where e.tenant_id = $1 and e.id = any($2::uuid[])
order by e.id, ev.seq`;

/** $1 tenant, $2 execution id, $3 after, $4 limit: one row per event, or one with null event columns. */
const PROGRESS = `
select e.status, e.last_event_seq, e.id as execution_id, ev.seq, ev.type, ev.step_key, ev.payload, ev.created_at
from executions e
left join lateral (
  select x.seq, x.type, x.step_key, x.payload, x.created_at from execution_events x
  where x.execution_id = e.id and x.seq > $3 order by x.seq limit $4
) ev on true
where e.tenant_id = $1 and e.id = $2
order by ev.seq`;

/** $1 tenant, $2 ids */
const WORKFLOWS_BY_IDS = `select ${WORKFLOW_COLUMNS} from ${WORKFLOW_FROM} where w.tenant_id = $1 and w.id = any($2::uuid[])`;

/** $1 tenant, $2 name */
const WORKFLOW_BY_NAME = `select ${WORKFLOW_COLUMNS} from ${WORKFLOW_FROM} where w.tenant_id = $1 and w.name = $2`;

/** $1 tenant, $2 workflow ids */
const VERSIONS_OF = `
select v.workflow_id, v.version, v.label, v.definition, v.created_at
from workflow_versions v
where v.workflow_id in (select w.id from workflows w where w.tenant_id = $1 and w.id = any($2::uuid[]))
order by v.workflow_id, v.version desc`;

/**
 * $1 tenant, $2 workflow ids, $3 from (nullable), $4 to (nullable). One row per workflow with runs in
 * the window; durations over finished runs that started.
 */
const STATS_OF = `
with runs as (
  select e.id, e.workflow_id, e.status,
         case when e.status in ('completed', 'failed', 'cancelled') and e.started_at is not null and e.completed_at is not null
              then extract(epoch from (e.completed_at - e.started_at)) * 1000 end as duration_ms
  from executions e
  where e.tenant_id = $1 and e.workflow_id = any($2::uuid[])
    and ($3::timestamptz is null or e.created_at >= $3::timestamptz)
    and ($4::timestamptz is null or e.created_at < $4::timestamptz)
), totals as (
  select workflow_id,
         count(*)::int as total,
         count(*) filter (where status = 'completed')::int as successful,
         count(*) filter (where status = 'failed')::int as failed,
         count(*) filter (where status = 'cancelled')::int as cancelled,
         count(*) filter (where status in ('pending', 'running', 'waiting', 'paused'))::int as running,
         avg(duration_ms)::float8 as average_duration_ms,
         (percentile_cont(0.95) within group (order by duration_ms))::float8 as p95_duration_ms
  from runs group by workflow_id
), failures as (
  select r.workflow_id, s.key, count(*)::int as failures
  from runs r join execution_steps s on s.execution_id = r.id
  where s.status = 'failed'
  group by r.workflow_id, s.key
)
select t.*,
       coalesce((select json_agg(json_build_object('step', f.key, 'failures', f.failures) order by f.failures desc, f.key)
                 from failures f where f.workflow_id = t.workflow_id), '[]'::json) as step_failures
from totals t`;

interface StatsRow {
  workflow_id: string;
  total: number;
  successful: number;
  failed: number;
  cancelled: number;
  running: number;
  average_duration_ms: number | null;
  p95_duration_ms: number | null;
  step_failures: StepFailureCount[];
}

const onlyUuids = (ids: readonly string[]) => [...new Set(ids.filter(isUuid))];

/**
 * A name per distinct text of the list queries (their filters make a few dozen variants at most):
 * each is then planned once per connection, as a prepared statement, instead of on every request.
 */
const statementNames = new Map<string, string>();
function statementName(prefix: string, sql: string): string | undefined {
  let name = statementNames.get(sql);
  if (!name) {
    if (statementNames.size >= 256) return undefined;
    name = `${prefix}_${statementNames.size + 1}`;
    statementNames.set(sql, name);
  }
  return name;
}

export function createExecutionReads(db: Queryable, tenantId: string): ExecutionReads {
  if (!isUuid(tenantId)) throw new Error(`tenant ${tenantId} is not a UUID`);

  /** One named statement taking `$1` the tenant and `$2` the ids that are UUIDs; none such: no statement. */
  const ofIds = async <R extends object, T>(sql: string, name: string, ids: readonly string[], map: (row: R) => T): Promise<T[]> => {
    const wanted = onlyUuids(ids);
    if (wanted.length === 0) return [];
    return (await db.query<R>(sql, [tenantId, wanted], name)).map(map);
  };

  return {
    tenantId,

    async executionPage(filter, page) {
      const limit = pageSize(page.first, MAX_PAGE_SIZE);
      const params = new Params();
      const where = [`e.tenant_id = ${params.add(tenantId)}`];
      if (filter.workflow !== undefined) {
        where.push(`e.workflow_id = (select w.id from workflows w where w.tenant_id = $1 and w.name = ${params.add(filter.workflow)})`);
      }
      if (filter.statuses !== undefined) where.push(`e.status = any(${params.add(filter.statuses)}::text[])`);
      if (filter.triggers !== undefined) where.push(`e.trigger_type = any(${params.add(filter.triggers)}::text[])`);
      if (filter.startedAfter !== undefined) where.push(`e.started_at >= ${params.add(filter.startedAfter)}::timestamptz`);
      if (filter.startedBefore !== undefined) where.push(`e.started_at < ${params.add(filter.startedBefore)}::timestamptz`);
      if (filter.contextMatch !== undefined) where.push(`e.context @> ${params.add(JSON.stringify(filter.contextMatch))}::jsonb`);
      if (page.after !== undefined) {
        const [at, id] = decodeCursor(page.after, (parts) => parts.length === 2 && !Number.isNaN(Date.parse(parts[0] ?? '')) && isUuid(parts[1] ?? ''));
        where.push(`(e.created_at, e.id) < (${params.add(at)}::timestamptz, ${params.add(id)}::uuid)`);
      }
      const sql = `select ${EXECUTION_COLUMNS}, ${cursorTime('e.created_at')} as cursor_at from executions e
         where ${where.join(' and ')} order by e.created_at desc, e.id desc limit ${params.add(limit + 1)}`;
      const rows = await db.query<ExecutionRow & { cursor_at: string }>(sql, params.values, statementName('switchyard_read_execution_page', sql));
      return pageOf(rows, limit, (row) => [row.cursor_at, row.id], toExecution);
    },

    executionsByIds: (ids) => ofIds(EXECUTIONS_BY_IDS, 'switchyard_read_executions_by_ids', ids, toExecution),

    stepsOf: (executionIds) => ofIds(STEPS_OF, 'switchyard_read_steps_of', executionIds, toStep),

    async eventsOf(executionIds, after, first) {
      const limit = pageSize(first, MAX_EVENT_PAGE_SIZE);
      const wanted = onlyUuids(executionIds);
      const pages = new Map<string, EventPage>(wanted.map((id) => [id, { events: [], hasNextPage: false }]));
      if (wanted.length === 0) return pages;
      const rows = await db.query<EventRow>(EVENTS_OF, [tenantId, wanted, after, limit + 1], 'switchyard_read_events_of');
      for (const row of rows) {
        const page = pages.get(row.execution_id);
        if (!page) continue;
        if (page.events.length < limit) page.events.push(toEvent(tenantId, row));
        else page.hasNextPage = true;
      }
      return pages;
    },

    async progress(executionId, after, first) {
      if (!isUuid(executionId)) return undefined;
      const rows = await db.query<EventRow & { status: ExecutionStatus; last_event_seq: number; seq: number | null }>(
        PROGRESS,
        [tenantId, executionId, after, first],
        'switchyard_read_progress',
      );
      const [head] = rows;
      if (!head) return undefined;
      return {
        status: head.status,
        lastEventSeq: Number(head.last_event_seq),
        events: rows.filter((row) => row.seq !== null).map((row) => toEvent(tenantId, row)),
      };
    },

    async workflowPage(filter, page) {
      const limit = pageSize(page.first, MAX_PAGE_SIZE);
      const params = new Params();
      const where = [`w.tenant_id = ${params.add(tenantId)}`];
      if (filter.active !== undefined) where.push(`w.active = ${params.add(filter.active)}`);
      if (filter.tags !== undefined && filter.tags.length > 0) where.push(`w.tags @> ${params.add(filter.tags)}::text[]`);
      if (filter.nameContains !== undefined) {
        where.push(`strpos(lower(w.name), lower(${params.add(filter.nameContains)})) > 0`);
      }
      if (page.after !== undefined) {
        const [name, id] = decodeCursor(page.after, (parts) => parts.length === 2 && isUuid(parts[1] ?? ''));
        where.push(`(w.name, w.id) > (${params.add(name)}::text, ${params.add(id)}::uuid)`);
      }
      const sql = `select ${WORKFLOW_COLUMNS} from ${WORKFLOW_FROM} where ${where.join(' and ')} order by w.name, w.id limit ${params.add(limit + 1)}`;
      const rows = await db.query<WorkflowRow>(sql, params.values, statementName('switchyard_read_workflow_page', sql));
      return pageOf(rows, limit, (row) => [row.name, row.id], toWorkflow);
    },

    workflowsByIds: (ids) => ofIds(WORKFLOWS_BY_IDS, 'switchyard_read_workflows_by_ids', ids, toWorkflow),

    async workflowByName(name) {
      const [row] = await db.query<WorkflowRow>(WORKFLOW_BY_NAME, [tenantId, name], 'switchyard_read_workflow_by_name');
      return row && toWorkflow(row);
    },

    versionsOf: (workflowIds) =>
      ofIds(VERSIONS_OF, 'switchyard_read_versions_of', workflowIds, (row: { workflow_id: string; version: number; label: string | null; definition: JsonObject; created_at: Date }) => ({
        workflowId: row.workflow_id,
        version: row.version,
        label: row.label,
        definition: row.definition,
        createdAt: row.created_at,
      })),

    async statsOf(workflowIds, window) {
      const wanted = onlyUuids(workflowIds);
      if (wanted.length === 0) return [];
      const rows = await db.query<StatsRow>(
        STATS_OF,
        [tenantId, wanted, window.from?.toISOString() ?? null, window.to?.toISOString() ?? null],
        'switchyard_read_stats_of',
      );
      const found = new Map(rows.map((row) => [row.workflow_id, row]));
      return wanted.map((workflowId) => {
        const row = found.get(workflowId);
        const finished = row ? row.successful + row.failed + row.cancelled : 0;
        return {
          workflowId,
          total: row?.total ?? 0,
          successful: row?.successful ?? 0,
          failed: row?.failed ?? 0,
          cancelled: row?.cancelled ?? 0,
          running: row?.running ?? 0,
          successRate: row && finished > 0 ? row.successful / finished : null,
          averageDurationMs: row?.average_duration_ms ?? null,
          p95DurationMs: row?.p95_duration_ms ?? null,
          stepFailures: row?.step_failures ?? [],
        };
      });
    },
  };
}
