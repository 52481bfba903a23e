import { SLOT_HOLDING_EXECUTION_STATUSES, sqlList } from '../../entities/statuses.js';
import type { Queryable } from '../../infra/queryable.js';
import { choosePromotions, groupOf, hasRoom, type SlotClaim, type SlotUse } from '../runtime/flow-decision.js';

/**
 * Flow control's SQL. Slots are not stored but counted: a group's slots in use are its runs in a
 * slot-holding status, so a run gives its slot back by the very transition that ends it (or cancels
 * it), and a dead worker's runs keep theirs only while they are in progress (their lease expires and
 * another worker goes on with them). Every admission and promotion of the same slots runs in a
 * transaction holding one advisory lock — the tenant's when a tenant limit is configured (its runs'
 * groups are then counted under it too), else the group's — and counts after taking it, so two
 * processes can never both see the last slot free.
 */

const HOLDING = sqlList(SLOT_HOLDING_EXECUTION_STATUSES);
/** How many queued runs one promotion looks at (a busy tenant's next promotion sees the rest). */
const CANDIDATES = 200;

/** A concurrency group: a workflow and its key's value ('' without a key). */
export interface GroupRef {
  workflowId: string;
  key: string;
}

/** What a run asks of flow control: its group with the limit (none: its workflow is unlimited), and its kind. */
export interface RunSlot {
  tenantId: string;
  group?: GroupRef & { limit: number };
  topLevel: boolean;
  /** The tenant's limit when the slot was asked for (admission reads it again). */
  tenantLimit?: number | undefined;
}

/** A tenant's own limit of top-level runs in progress, if the platform admin set one. */
export async function tenantConcurrencyLimitOf(db: Queryable, tenantId: string): Promise<number | undefined> {
  const [row] = await db.query<{ concurrency_limit: number | null }>('select concurrency_limit from tenants where id = $1', [tenantId]);
  return row?.concurrency_limit ?? undefined;
}

/** Which lock serialises the slots `slot` uses; undefined when no limit applies to it. */
function lockName(tenantId: string, group: GroupRef | undefined, tenantLimit: number | undefined): string | undefined {
  if (tenantLimit !== undefined) return `switchyard.flow.tenant:${tenantId}`;
  return group ? `switchyard.flow.group:${groupOf(group.workflowId, group.key)}` : undefined;
}

/** Held until the transaction ends. The counts are read after it, so they include every committed change. */
async function lock(tx: Queryable, name: string): Promise<void> {
  await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [name]);
}

async function slotUse(tx: Queryable, tenantId: string, groups: readonly GroupRef[], countTenant: boolean): Promise<SlotUse> {
  const use: SlotUse = { groups: new Map(), tenant: 0 };
  if (groups.length > 0) {
    const rows = await tx.query<{ workflow_id: string; concurrency_key: string; n: number }>(
      `select workflow_id, concurrency_key, count(*)::int as n from executions
       where concurrency_limit is not null and status in ${HOLDING}
         and (workflow_id, concurrency_key) in (select * from unnest($1::uuid[], $2::text[]))
       group by 1, 2`,
      [groups.map((group) => group.workflowId), groups.map((group) => group.key)],
    );
    for (const row of rows) use.groups.set(groupOf(row.workflow_id, row.concurrency_key), row.n);
  }
  if (countTenant) {
    const [row] = await tx.query<{ n: number }>(
      `select count(*)::int as n from executions where tenant_id = $1 and parent_execution_id is null and status in ${HOLDING}`,
      [tenantId],
    );
    use.tenant = row?.n ?? 0;
  }
  return use;
}

function claimOf(slot: RunSlot): SlotClaim {
  return slot.group
    ? { group: groupOf(slot.group.workflowId, slot.group.key), limit: slot.group.limit, topLevel: slot.topLevel }
    : { topLevel: slot.topLevel };
}

/**
 * In the transaction that records a run (or makes a finished one go on): whether it may be in progress
 * now. The lock is held until that transaction ends, so the run is counted by the next one to ask.
 */
export async function admit(tx: Queryable, slot: RunSlot, tenantLimit: number | undefined): Promise<boolean> {
  const name = lockName(slot.tenantId, slot.group, tenantLimit);
  if (name === undefined) return true;
  await lock(tx, name);
  const use = await slotUse(tx, slot.tenantId, slot.group ? [slot.group] : [], tenantLimit !== undefined && slot.topLevel);
  return hasRoom(claimOf(slot), use, tenantLimit);
}

interface CandidateRow {
  id: string;
  workflow_id: string;
  concurrency_key: string | null;
  concurrency_limit: number | null;
  top_level: boolean;
}

const CANDIDATE_COLUMNS = 'id, workflow_id, concurrency_key, concurrency_limit, parent_execution_id is null as top_level';
const ELIGIBLE = `status = 'queued' and not pause_requested and not cancel_requested`;
const QUEUE_ORDER = 'order by priority desc, created_at, id';

/**
 * Starts the queued runs that have room now, in queue order: those of `group` or, with a tenant limit,
 * the whole tenant's (a freed tenant slot may go to any group). Without either, the tenant's queued
 * runs that no limit holds back any more (the configuration changed). Returns the runs made due; the
 * caller wakes the workers once this committed.
 */
export async function promoteQueued(
  tx: Queryable,
  tenantId: string,
  group: GroupRef | undefined,
  tenantLimit: number | undefined,
): Promise<string[]> {
  const name = lockName(tenantId, group, tenantLimit);
  if (name !== undefined) await lock(tx, name);
  const rows =
    tenantLimit === undefined && group
      ? await tx.query<CandidateRow>(
          `select ${CANDIDATE_COLUMNS} from executions
           where tenant_id = $1 and workflow_id = $2 and concurrency_key = $3 and concurrency_limit is not null and ${ELIGIBLE} ${QUEUE_ORDER} limit $4`,
          [tenantId, group.workflowId, group.key, CANDIDATES],
        )
      : await tx.query<CandidateRow>(
          `select ${CANDIDATE_COLUMNS} from executions
           where tenant_id = $1 and ${ELIGIBLE} and ($2::boolean or concurrency_limit is null) ${QUEUE_ORDER} limit $3`,
          [tenantId, tenantLimit !== undefined, CANDIDATES],
        );
  if (rows.length === 0) return [];
  const candidates = rows.map((row) => ({
    id: row.id,
    topLevel: row.top_level,
    ...(row.concurrency_limit !== null && row.concurrency_key !== null
      ? { group: groupOf(row.workflow_id, row.concurrency_key), limit: row.concurrency_limit }
      : {}),
    ref:
      row.concurrency_limit !== null && row.concurrency_key !== null
        ? { workflowId: row.workflow_id, key: row.concurrency_key }
        : undefined,
  }));
  const groups = new Map<string, GroupRef>();
  for (const candidate of candidates) if (candidate.group && candidate.ref) groups.set(candidate.group, candidate.ref);
  const use = await slotUse(tx, tenantId, [...groups.values()], tenantLimit !== undefined);
  const chosen = choosePromotions(candidates, use, tenantLimit).map((candidate) => candidate.id);
  if (chosen.length === 0) return [];
  // A run that had started before (retried, then queued) resumes: its claim logs execution.resumed.
  const promoted = await tx.query<{ id: string }>(
    `update executions set status = case when started_at is null then 'pending' else 'waiting' end, wake_at = now(), updated_at = now()
     where id = any($1::uuid[]) and status = 'queued'
     returning id`,
    [chosen],
  );
  return promoted.map((row) => row.id);
}

/**
 * Queues whose first eligible run has room although nobody started it: a worker died between ending a
 * run and handing its slot on, or a limit was raised. A tenant's own limit stands before `tenantLimit`,
 * the configured one. One statement over the queues' heads, for the
 * periodic sweep (or one tenant's, `tenantId`); not a poll per queued run.
 */
export async function stalledQueues(
  db: Queryable,
  tenantLimit: number | undefined,
  tenantId?: string,
): Promise<Array<{ tenantId: string; group: GroupRef | undefined }>> {
  const rows = await db.query<{ tenant_id: string; workflow_id: string; concurrency_key: string | null; concurrency_limit: number | null }>(
    `with heads as (
       select distinct on (tenant_id, workflow_id, concurrency_key) tenant_id, workflow_id, concurrency_key, concurrency_limit,
              parent_execution_id is null as top_level
       from executions where ${ELIGIBLE} and ($2::uuid is null or tenant_id = $2)
       order by tenant_id, workflow_id, concurrency_key, priority desc, created_at, id
     )
     select h.tenant_id, h.workflow_id, h.concurrency_key, h.concurrency_limit from heads h
     where (h.concurrency_limit is null or h.concurrency_key is null or (
              select count(*) from executions x
              where x.workflow_id = h.workflow_id and x.concurrency_key = h.concurrency_key and x.concurrency_limit is not null and x.status in ${HOLDING}
            ) < h.concurrency_limit)
       and (not h.top_level or coalesce((select concurrency_limit from tenants where id = h.tenant_id), $1::int) is null or (
              select count(*) from executions t where t.tenant_id = h.tenant_id and t.parent_execution_id is null and t.status in ${HOLDING}
            ) < coalesce((select concurrency_limit from tenants where id = h.tenant_id), $1::int))
     limit 100`,
    [tenantLimit ?? null, tenantId ?? null],
  );
  return rows.map((row) => ({
    tenantId: row.tenant_id,
    group:
      row.concurrency_limit !== null && row.concurrency_key !== null
        ? { workflowId: row.workflow_id, key: row.concurrency_key }
        : undefined,
  }));
}
