import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import type { JsonObject, JsonValue, RecordedError } from '../../entities/json.js';
import { recordDomainEvent } from '../../services/domain-events.js';
import type { ExecutionStatus } from '../../entities/statuses.js';
import type { EventDeliveryStatus } from '../../entities/event-delivery.entity.js';
import type { Queryable } from '../../infra/queryable.js';
import type { RowOf } from './row-types.js';
import { withFields } from '../../infra/with-fields.js';

/**
 * The SQL of domain-event delivery: claiming undispatched events, finding the workflows whose triggers
 * name them, recording what each delivery started, resolving waits that look back at earlier events,
 * and the API's reads of events. Dispatchers run across tenants (no `app.tenant_id`); the API's reads
 * take the tenant and run inside its row-level-security transaction.
 */

export interface DomainEventRow {
  id: string;
  tenantId: string;
  name: string;
  payload: JsonObject;
  source: string | null;
  occurredAt: Date;
  dispatchedAt: Date | null;
  /** The recorder's trace context (`traceparent`), when it was traced. */
  traceParent: string | null;
}

type RawEventRow = RowOf<DomainEventRow>;

const EVENT_COLUMNS = 'id, tenant_id, name, payload, source, occurred_at, dispatched_at, trace_parent';

/**
 * Lists travel as one JSON parameter (`$n::jsonb`, unpacked by `jsonList`): the ORM's connection, which
 * runs the API's reads, would expand a JS array parameter into a list of parameters.
 */
export const jsonList = (param: string, type: 'uuid' | 'text') => `(select value::${type} from jsonb_array_elements_text(${param}::jsonb))`;
export const listParam = (values: readonly string[]) => JSON.stringify(values);

function toEvent(row: RawEventRow): DomainEventRow {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    payload: row.payload,
    source: row.source,
    occurredAt: new Date(row.occurred_at),
    dispatchedAt: row.dispatched_at ? new Date(row.dispatched_at) : null,
    traceParent: row.trace_parent,
  };
}

/**
 * Locks up to `limit` undispatched events, oldest first, skipping those another dispatcher holds and
 * those in `excluded` (backing off after a transient failure). Inside the caller's transaction.
 */
export async function claimEvents(db: Queryable, limit: number, excluded: readonly string[]): Promise<DomainEventRow[]> {
  const rows = await db.query<RawEventRow>(
    `select ${EVENT_COLUMNS} from domain_events
     where dispatched_at is null and id not in ${jsonList('$2', 'uuid')}
     order by occurred_at, id
     limit $1
     for update skip locked`,
    [limit, listParam(excluded)],
  );
  return rows.map(toEvent);
}

export async function markDispatched(db: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query(`update domain_events set dispatched_at = now() where id in ${jsonList('$1', 'uuid')}`, [listParam(ids)]);
}

export interface TriggeredWorkflow {
  id: string;
  name: string;
  /** The current definition's `triggers`, as saved (validated then). */
  triggers: JsonValue;
}

/** The tenant's active workflows whose current definition has a trigger for `eventName`. */
export async function triggeredWorkflows(db: Queryable, tenantId: string, eventName: string): Promise<TriggeredWorkflow[]> {
  return db.query<TriggeredWorkflow>(
    `select w.id, w.name, v.definition -> 'triggers' as triggers
     from workflows w join workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
     where w.tenant_id = $1 and w.active and v.definition -> 'triggers' @> jsonb_build_array(jsonb_build_object('event', $2::text))
     order by w.name`,
    [tenantId, eventName],
  );
}

export interface DeliveryInput {
  eventId: string;
  tenantId: string;
  workflowId: string;
  workflowName: string;
  status: EventDeliveryStatus;
  executionId?: string;
  error?: RecordedError;
}

/** Records (or, on a redelivery, overwrites) what the event did to one workflow. */
export async function recordDelivery(db: Queryable, delivery: DeliveryInput): Promise<void> {
  await db.query(
    `insert into event_deliveries (id, event_id, tenant_id, workflow_id, workflow_name, execution_id, status, error, created_at)
     values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, now())
     on conflict (event_id, workflow_id) do update set execution_id = excluded.execution_id, status = excluded.status, error = excluded.error`,
    [
      delivery.eventId,
      delivery.tenantId,
      delivery.workflowId,
      delivery.workflowName,
      delivery.executionId ?? null,
      delivery.status,
      delivery.error ? JSON.stringify(delivery.error) : null,
    ],
  );
}

// ── waits that look back ───────────────────────────────────────────────────────────────────────────

export interface LookbackRow {
  executionId: string;
  stepKey: string;
  /** Null when the wait is gone (the run was retried from before it). */
  tenantId: string | null;
  eventName: string | null;
  match: string | null;
  resolved: boolean;
  executionStatus: ExecutionStatus | null;
  context: JsonObject | null;
  /** Only events from then on are the wait's: its `events_since` (a `since: run` wait), else when its step started. */
  since: Date | null;
}

/** Locks up to `limit` pending lookbacks with their wait, oldest first. Inside the caller's transaction. */
export async function claimLookbacks(db: Queryable, limit: number): Promise<LookbackRow[]> {
  const rows = await db.query<{
    execution_id: string;
    step_key: string;
    tenant_id: string | null;
    event_name: string | null;
    match: string | null;
    resolved: boolean;
    status: ExecutionStatus | null;
    context: JsonObject | null;
    since: Date | null;
  }>(
    `select l.execution_id, l.step_key, w.tenant_id, w.event_name, w.match, w.resolved_at is not null as resolved,
            e.status, e.context, coalesce(w.events_since, s.started_at, w.created_at) as since
     from event_delivery_lookbacks l
     left join execution_waits w on w.execution_id = l.execution_id and w.step_key = l.step_key
     left join execution_steps s on s.execution_id = l.execution_id and s.key = l.step_key
     left join executions e on e.id = l.execution_id
     order by l.created_at
     limit $1
     for update of l skip locked`,
    [limit],
  );
  return rows.map((row) => ({
    executionId: row.execution_id,
    stepKey: row.step_key,
    tenantId: row.tenant_id,
    eventName: row.event_name,
    match: row.match,
    resolved: row.resolved,
    executionStatus: row.status,
    context: row.context,
    since: row.since ? new Date(row.since) : null,
  }));
}

export async function deleteLookback(db: Queryable, executionId: string, stepKey: string): Promise<void> {
  await db.query('delete from event_delivery_lookbacks where execution_id = $1 and step_key = $2', [executionId, stepKey]);
}

/**
 * A wait's candidates: the events of any of its names recorded since `since`, oldest first, after
 * `after` (the last of the previous page; compared as stored, microseconds kept).
 */
export async function eventsSince(
  db: Queryable,
  tenantId: string,
  names: readonly string[],
  since: Date,
  after: DomainEventRow | undefined,
  limit: number,
): Promise<DomainEventRow[]> {
  const rows = await db.query<RawEventRow>(
    `select ${EVENT_COLUMNS} from domain_events
     where tenant_id = $1 and name in ${jsonList('$2', 'text')} and occurred_at >= $3
       and ($4::uuid is null or (occurred_at, id) > (select a.occurred_at, a.id from domain_events a where a.id = $4::uuid))
     order by occurred_at, id
     limit $5`,
    [tenantId, listParam(names), since, after?.id ?? null, limit],
  );
  return rows.map(toEvent);
}

/** The completed steps' outputs, which a wait's match expression may read. */
export async function completedStepOutputs(
  db: Queryable,
  executionId: string,
): Promise<Array<{ key: string; status: string; output: JsonValue | null }>> {
  return db.query(
    `select key, status, output from execution_steps where execution_id = $1 and status = 'completed' order by completed_at, sequence`,
    [executionId],
  );
}

// ── publishing ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Records an event through the outbox in the caller's transaction (and flushes it there). Undefined
 * when its id was taken meanwhile (the same id published concurrently): the transaction is then
 * aborted and the caller must not go on in it.
 */
export async function recordPublishedEvent(
  em: EntityManager,
  event: { tenantId: string; name: string; payload: JsonObject; source: string; id?: string },
): Promise<string | undefined> {
  const recorded = recordDomainEvent(em, event);
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException && event.id) return undefined;
    throw error;
  }
  return recorded.id;
}

// ── the API's reads ────────────────────────────────────────────────────────────────────────────────

export async function findEvent(db: Queryable, id: string): Promise<DomainEventRow | undefined> {
  const [row] = await db.query<RawEventRow>(`select ${EVENT_COLUMNS} from domain_events where id = $1`, [id]);
  return row && toEvent(row);
}

export interface EventListFilter {
  name?: string;
  occurredAfter?: Date;
  occurredBefore?: Date;
}

/** Where a page ends: the last event's exact `occurred_at` (as PostgreSQL prints it, microseconds kept) and id. */
export interface EventCursor {
  occurredAt: string;
  id: string;
}

/** A tenant's events, newest first, after `cursor`; one more than `limit` tells whether a page follows. */
export async function listEvents(
  db: Queryable,
  tenantId: string,
  filter: EventListFilter,
  limit: number,
  cursor: EventCursor | undefined,
): Promise<Array<DomainEventRow & { cursor: EventCursor }>> {
  const rows = await db.query<RawEventRow & { cursor_at: string }>(
    `select ${EVENT_COLUMNS}, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at
     from domain_events
     where tenant_id = $1
       and ($2::text is null or name = $2)
       and ($3::timestamptz is null or occurred_at > $3)
       and ($4::timestamptz is null or occurred_at < $4)
       and ($5::timestamptz is null or (occurred_at, id) < ($5::timestamptz, $6::uuid))
     order by occurred_at desc, id desc
     limit $7`,
    [
      tenantId,
      filter.name ?? null,
      filter.occurredAfter ?? null,
      filter.occurredBefore ?? null,
      cursor?.occurredAt ?? null,
      cursor?.id ?? null,
      limit,
    ],
  );
  return rows.map((row) => withFields(toEvent(row), { cursor: { occurredAt: row.cursor_at, id: row.id } }));
}

export interface DeliveryRow {
  eventId: string;
  workflowId: string;
  workflowName: string;
  executionId: string | null;
  status: EventDeliveryStatus;
  error: RecordedError | null;
  createdAt: Date;
}

export async function deliveriesOf(db: Queryable, tenantId: string, eventIds: readonly string[]): Promise<DeliveryRow[]> {
  const rows = await db.query<{
    event_id: string;
    workflow_id: string;
    workflow_name: string;
    execution_id: string | null;
    status: EventDeliveryStatus;
    error: RecordedError | null;
    created_at: Date;
  }>(
    `select event_id, workflow_id, workflow_name, execution_id, status, error, created_at from event_deliveries
     where tenant_id = $1 and event_id in ${jsonList('$2', 'uuid')}
     order by created_at, workflow_name`,
    [tenantId, listParam(eventIds)],
  );
  return rows.map((row) => ({
    eventId: row.event_id,
    workflowId: row.workflow_id,
    workflowName: row.workflow_name,
    executionId: row.execution_id,
    status: row.status,
    error: row.error,
    createdAt: new Date(row.created_at),
  }));
}

/** Which executions each event resumed (waits it resolved). */
export async function resumedBy(
  db: Queryable,
  tenantId: string,
  eventIds: readonly string[],
): Promise<Array<{ eventId: string; executionId: string }>> {
  const rows = await db.query<{ event_id: string; execution_id: string }>(
    `select distinct resolved_event_id as event_id, execution_id from execution_waits
     where tenant_id = $1 and resolved_event_id in ${jsonList('$2', 'text')}`,
    [tenantId, listParam(eventIds)],
  );
  return rows.map((row) => ({ eventId: row.event_id, executionId: row.execution_id }));
}

/** The event that started each of these executions (those started by an event trigger). */
export async function triggeringEvents(
  db: Queryable,
  tenantId: string,
  executionIds: readonly string[],
): Promise<Array<DomainEventRow & { executionId: string }>> {
  const rows = await db.query<RawEventRow & { execution_id: string }>(
    `select d.execution_id, ${EVENT_COLUMNS.split(', ')
      .map((column) => `e.${column}`)
      .join(', ')}
     from event_deliveries d join domain_events e on e.id = d.event_id
     where d.tenant_id = $1 and d.execution_id in ${jsonList('$2', 'uuid')}`,
    [tenantId, listParam(executionIds)],
  );
  return rows.map((row) => withFields(toEvent(row), { executionId: row.execution_id }));
}

// ── events the scheduler records ───────────────────────────────────────────────────────────────────

export interface NewDomainEvent {
  id: string;
  tenantId: string;
  name: string;
  payload: JsonObject;
  source: string;
  occurredAt: Date;
  /** The recorder's trace context (`traceparent`), when it is traced: the runs the event starts join that trace. */
  traceParent?: string;
}

/** Records events whose id is not taken yet (the id is their identity); returns the ids recorded. */
export async function insertEventsIfAbsent(db: Queryable, events: readonly NewDomainEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = await db.query<{ id: string }>(
    `insert into domain_events (id, tenant_id, name, payload, source, occurred_at, trace_parent)
     select x.id, x.tenant_id, x.name, x.payload, x.source, x.occurred_at, x.trace_parent
     from jsonb_to_recordset($1::jsonb) as x(id uuid, tenant_id uuid, name text, payload jsonb, source text, occurred_at timestamptz, trace_parent text)
     on conflict (id) do nothing
     returning id`,
    [
      JSON.stringify(
        events.map((event) => ({
          id: event.id,
          tenant_id: event.tenantId,
          name: event.name,
          payload: event.payload,
          source: event.source,
          occurred_at: event.occurredAt.toISOString(),
          trace_parent: event.traceParent ?? null,
        })),
      ),
    ],
  );
  return rows.map((row) => row.id);
}
