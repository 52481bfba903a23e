import type { JsonObject, JsonValue } from '../../entities/json.js';
import type { ExecutionStatus } from '../../entities/statuses.js';
import { decodeCursor, pageOf, pageSize, Params } from './paging.js';
import type { Queryable } from '../../infra/queryable.js';
import {
  MAX_EVENT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  MAX_TOUCHES_PER_RECORD,
  type EventPage,
  type ExecutionReads,
  type WorkflowStatsRecord,
} from './read-models.js';
import type { RowOf } from './row-types.js';
import {
  cursorTime,
  EXECUTION_COLUMNS,
  summaryColumnsOf,
  toEvent,
  toExecution,
  toExecutionListed,
  AUTHORED_DEFINITION,
  toWorkflow,
  WORKFLOW_COLUMNS,
  WORKFLOW_FROM,
  type EventRow,
  type ExecutionSummaryRow,
  type WorkflowRow,
} from './read-rows.js';
import { createStepReads } from './step-reads.js';
import { isUuid } from './uuids.js';
import { SLOT_HOLDING_EXECUTION_STATUSES, sqlList } from '../../entities/statuses.js';
import type { LineageAction, RecordType } from '../../entities/record-lineage.entity.js';

export * from './read-models.js';

/**
 * The API's read models: executions, their steps and event logs, workflows, their versions and
 * statistics. Every statement is confined to one tenant (`tenant_id = $1`, children reached through
 * their execution or workflow), and the only way to get these reads is `createExecutionReads(db,
 * tenantId)`: a caller binds the tenant once and cannot leave it out of a query. Batched by design —
 * each "many ids" read is one statement, for the API's DataLoaders.
 */

export { isUuid };

// ── statements ─────────────────────────────────────────────────────────────────────────────────────

/** $1 tenant, $2 ids */
const EXECUTIONS_BY_IDS = `select ${EXECUTION_COLUMNS} from executions e where e.tenant_id = $1 and e.id = any($2::uuid[])`;

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

/** $1 tenant, $2 execution ids: the latest event of each step that recorded a `when` verdict. */
const WHEN_VERDICTS_OF = `
select distinct on (x.execution_id, x.step_key) x.execution_id, x.step_key, x.payload->'when' as verdict
from execution_events x
where x.execution_id in (select e.id from executions e where e.tenant_id = $1 and e.id = any($2::uuid[]))
  and x.step_key is not null and x.payload ? 'when'
order by x.execution_id, x.step_key, x.seq desc`;

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
select v.workflow_id, v.version, v.label, ${AUTHORED_DEFINITION} as definition, v.created_at
from workflow_versions v
where v.workflow_id in (select w.id from workflows w where w.tenant_id = $1 and w.id = any($2::uuid[]))
order by v.workflow_id, v.version desc`;

/** $1 tenant, $2 execution ids */
const PINNED_DEFINITIONS = `
select e.id as execution_id, ${AUTHORED_DEFINITION} as definition
from executions e join workflow_versions v on v.workflow_id = e.workflow_id and v.version = e.workflow_version
where e.tenant_id = $1 and e.id = any($2::uuid[])`;

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
         count(*) filter (where status in ${sqlList(SLOT_HOLDING_EXECUTION_STATUSES)})::int as running,
         count(*) filter (where status = 'queued')::int as queued,
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

/**
 * $1 tenant, $2 record types, $3 record ids (pairwise): each record's touches, oldest first, through the
 * primary key's (tenant, type, id) prefix. Runs are joined so that only this tenant's can be named.
 */
const LINEAGE_OF = `
select t.* from unnest($2::text[], $3::uuid[]) as r(record_type, record_id)
cross join lateral (
  select l.record_type, l.record_id, l.execution_id, l.step_key, l.action, l.at
  from record_lineage l join executions e on e.id = l.execution_id and e.tenant_id = $1
  where l.tenant_id = $1 and l.record_type = r.record_type and l.record_id = r.record_id
  order by l.at, l.execution_id, l.step_key, l.action
  limit ${MAX_TOUCHES_PER_RECORD}
) t`;

/** $1 tenant, $2 execution ids: what their steps created or changed, through the execution index. */
const TOUCHED_BY = `
select l.record_type, l.record_id, l.execution_id, l.step_key, l.action, l.at
from record_lineage l
where l.tenant_id = $1 and l.execution_id = any($2::uuid[])
order by l.execution_id, l.at, l.step_key, l.record_type, l.record_id`;

interface TouchRow {
  record_type: RecordType;
  record_id: string;
  execution_id: string;
  step_key: string;
  action: LineageAction;
  at: Date;
}

const toTouch = (row: TouchRow) => ({
  recordType: row.record_type,
  recordId: row.record_id,
  executionId: row.execution_id,
  stepKey: row.step_key,
  action: row.action,
  at: row.at,
});

type StatsRow = RowOf<Omit<WorkflowStatsRecord, 'successRate'>>;

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

/**
 * The executions page's statement for its columns and conditions, made once per distinct pair: its
 * constant part would otherwise be rebuilt, and hashed to find its name, on every request.
 */
const executionPages = new Map<string, { sql: string; name: string | undefined }>();
function executionPageStatement(columns: string, conditions: string, limit: string): { sql: string; name: string | undefined } {
  const key = `${columns} where ${conditions} limit ${limit}`;
  let statement = executionPages.get(key);
  if (!statement) {
    const sql = `select ${columns}, ${cursorTime('e.created_at')} as cursor_at from executions e
         where ${conditions} order by e.created_at desc, e.id desc limit ${limit}`;
    statement = { sql, name: statementName('switchyard_read_execution_page', sql) };
    if (statement.name) executionPages.set(key, statement);
  }
  return statement;
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

    async executionPage(filter, page, fields) {
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
      if (filter.touching !== undefined) {
        // An id that is no UUID names no record: nothing matches.
        const { type, id } = filter.touching;
        where.push(
          isUuid(id)
            ? `e.id in (select l.execution_id from record_lineage l where l.tenant_id = $1 and l.record_type = ${params.add(type)} and l.record_id = ${params.add(id)}::uuid)`
            : 'false',
        );
      }
      if (page.after !== undefined) {
        const [at, id] = decodeCursor(
          page.after,
          (parts) => parts.length === 2 && !Number.isNaN(Date.parse(parts[0] ?? '')) && isUuid(parts[1] ?? ''),
        );
        where.push(`(e.created_at, e.id) < (${params.add(at)}::timestamptz, ${params.add(id)}::uuid)`);
      }
      const { sql, name } = executionPageStatement(summaryColumnsOf(fields), where.join(' and '), params.add(limit + 1));
      const rows = await db.query<ExecutionSummaryRow & { cursor_at: string; workflow_name?: string | null }>(sql, params.values, name);
      return pageOf(rows, limit, (row) => [row.cursor_at, row.id], toExecutionListed);
    },

    executionsByIds: (ids) => ofIds(EXECUTIONS_BY_IDS, 'switchyard_read_executions_by_ids', ids, toExecution),

    ...createStepReads(db, tenantId),

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

    whenVerdictsOf: (executionIds) =>
      ofIds(
        WHEN_VERDICTS_OF,
        'switchyard_read_when_verdicts_of',
        executionIds,
        (row: { execution_id: string; step_key: string; verdict: JsonValue }) => ({
          executionId: row.execution_id,
          stepKey: row.step_key,
          verdict: row.verdict,
        }),
      ),

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
      ofIds(
        VERSIONS_OF,
        'switchyard_read_versions_of',
        workflowIds,
        (row: { workflow_id: string; version: number; label: string | null; definition: JsonObject; created_at: Date }) => ({
          workflowId: row.workflow_id,
          version: row.version,
          label: row.label,
          definition: row.definition,
          createdAt: row.created_at,
        }),
      ),

    pinnedDefinitionsOf: (executionIds) =>
      ofIds(
        PINNED_DEFINITIONS,
        'switchyard_read_pinned_definitions',
        executionIds,
        (row: { execution_id: string; definition: JsonObject }) => ({
          executionId: row.execution_id,
          definition: row.definition,
        }),
      ),

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
          queued: row?.queued ?? 0,
          successRate: row && finished > 0 ? row.successful / finished : null,
          averageDurationMs: row?.average_duration_ms ?? null,
          p95DurationMs: row?.p95_duration_ms ?? null,
          stepFailures: row?.step_failures ?? [],
        };
      });
    },

    async lineageOf(records) {
      const wanted = [
        ...new Map(records.filter((record) => isUuid(record.id)).map((record) => [`${record.type}:${record.id}`, record])).values(),
      ];
      if (wanted.length === 0) return [];
      const rows = await db.query<TouchRow>(
        LINEAGE_OF,
        [tenantId, wanted.map((record) => record.type), wanted.map((record) => record.id)],
        'switchyard_read_lineage_of',
      );
      return rows.map(toTouch);
    },

    recordsTouchedBy: (executionIds) => ofIds(TOUCHED_BY, 'switchyard_read_records_touched_by', executionIds, toTouch),
  };
}
