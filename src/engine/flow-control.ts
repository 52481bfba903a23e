import type { JsonObject } from '../entities/json.js';
import type { Logger } from '../logger.js';
import type { Queryable } from '../infra/queryable.js';
import { concurrencyKeyOf } from './definition/concurrency.js';
import type { WorkflowDefinition } from './definition/step-types.js';
import type { FreedSlot } from './runtime/checkpoint-writer.js';
import type { EventPublisher } from './ports.js';
import { admit, promoteQueued, stalledQueues, tenantConcurrencyLimitOf, type GroupRef, type RunSlot } from './store/flow-store.js';
import { listenForWakeups, type WakeupSource } from './wakeups.js';

/** The tenant a TENANT_LIMIT_TOPIC message names; anything else makes every limit be read again. */
const tenantOf = (message: unknown): string | undefined => {
  const tenantId = (message as { tenantId?: unknown } | null)?.tenantId;
  return typeof tenantId === 'string' ? tenantId : undefined;
};

/**
 * Flow control: a workflow's `concurrency: { limit, key? }` and the configured per-tenant limit. A run
 * without room is recorded `queued`, holding no worker; whatever ends a run in progress (its terminal
 * checkpoint, a cancel) frees its slot in the same commit, and then the queued runs with room are made
 * due, by priority then age (`freed`). Nothing polls a queued run: the periodic `sweep` only looks at
 * the queues' heads, for a slot freed by a process that died before handing it on.
 *
 * A tenant's limit is its own (`tenants.concurrency_limit`, set by the platform admin) or else the
 * configured one. Each process keeps what it read; the process that changes it forgets it at once
 * (`tenantLimitChanged`) and tells the others on `TENANT_LIMIT_TOPIC`, which forget it as the message
 * arrives (`listen`), and forget every limit when the pub/sub comes back after a gap (a message may have
 * been lost in it). `TENANT_LIMIT_TTL_MS` bounds what a lost message costs when nothing tells of the gap.
 */
export const TENANT_LIMIT_TTL_MS = 5_000;

/** Published after a commit that set or cleared a tenant's own limit: `{ tenantId }`. */
export const TENANT_LIMIT_TOPIC = 'switchyard:tenant-limit';

export interface FlowControl {
  /** What a new run asks for (its key evaluated over `context`; VALIDATION when the key gives no group name). */
  slotOf(
    q: Queryable,
    run: { tenantId: string; workflowId: string; definition: WorkflowDefinition; context: JsonObject; topLevel: boolean },
  ): Promise<RunSlot>;
  /** Whether any limit applies to the run (then its start needs a transaction, for `admit`). */
  limited(slot: RunSlot): boolean;
  /** In the recording transaction: room for it now? */
  admit(tx: Queryable, slot: RunSlot): Promise<boolean>;
  /** After a commit that ended a run: hands the slots it held (if any limit applied) to queued runs. */
  freed(slot: FreedSlot): void;
  /** After a commit that made queued runs eligible again (a resume, a lifted suspension): starts those with room. */
  queueChanged(tenantId: string, group: GroupRef | undefined): void;
  /** After a commit that changed a tenant's own limit: read it again, start the queued runs it now has room for, tell the other processes. */
  tenantLimitChanged(tenantId: string): void;
  /** Hears the other processes' `tenantLimitChanged` until the returned function is called. */
  listen(source: WakeupSource): Promise<() => Promise<void>>;
  /** Starts queued runs whose slots were freed but not handed on; returns how many started. */
  sweep(): Promise<number>;
  /** Resolves when no promotion is in flight. */
  drain(): Promise<void>;
}

export function createFlowControl(deps: {
  tenantLimit: number | undefined;
  inTransaction: <T>(work: (tx: Queryable) => Promise<T>) => Promise<T>;
  db: Queryable;
  wakeWorkers: () => void;
  /** Where `tenantLimitChanged` is told to the other processes; without it, only this one hears of it. */
  publisher?: EventPublisher;
  logger: Logger;
  /** Monotonic milliseconds, for the limits' TTL (tests stop it). */
  now?: () => number;
}): FlowControl {
  const { logger } = deps;
  const now = deps.now ?? (() => performance.now());
  const configured = deps.tenantLimit;
  /** One promotion at a time per lock; a release meanwhile costs one more pass, not one each. */
  const inFlight = new Map<string, { again: boolean; done: Promise<number> }>();
  const limits = new Map<string, { limit: number | undefined; until: number }>();
  /** Moves on every forgetting: a read that was under way then may have read the old limit, so it is not kept. */
  let forgotten = 0;
  const forget = (tenantId?: string): void => {
    forgotten += 1;
    if (tenantId === undefined) limits.clear();
    else limits.delete(tenantId);
  };

  /**
   * The tenant's limit in force: its own, else the configured one (undefined: none). Read through `q`,
   * the connection the caller already holds when it has one: taking a second connection from the pool
   * while holding one deadlocks once every connection is held by a start waiting for another.
   */
  async function limitOf(tenantId: string, q: Queryable = deps.db): Promise<number | undefined> {
    const known = limits.get(tenantId);
    if (known && known.until > now()) return known.limit;
    const before = forgotten;
    const limit = (await tenantConcurrencyLimitOf(q, tenantId)) ?? configured;
    if (forgotten === before) limits.set(tenantId, { limit, until: now() + TENANT_LIMIT_TTL_MS });
    return limit;
  }

  async function promote(tenantId: string, group: GroupRef | undefined, known?: number): Promise<number> {
    const tenantLimit = known ?? (await limitOf(tenantId));
    const name = tenantLimit !== undefined || !group ? `t:${tenantId}` : `g:${group.workflowId}/${group.key}`;
    const running = inFlight.get(name);
    if (running) {
      running.again = true;
      return running.done;
    }
    const entry = { again: false, done: Promise.resolve(0) };
    entry.done = (async () => {
      let started = 0;
      try {
        do {
          entry.again = false;
          const promoted = await deps.inTransaction((tx) => promoteQueued(tx, tenantId, group, tenantLimit));
          started += promoted.length;
          if (promoted.length > 0) deps.wakeWorkers();
        } while (entry.again);
      } catch (error) {
        logger.warn(
          { err: error, tenantId, ...(group ? { workflowId: group.workflowId, concurrencyKey: group.key } : {}) },
          'starting queued runs failed; the sweep will',
        );
      } finally {
        inFlight.delete(name);
      }
      return started;
    })();
    inFlight.set(name, entry);
    return entry.done;
  }

  const queueChanged = (tenantId: string, group: GroupRef | undefined): void => {
    void (async () => {
      const tenantLimit = await limitOf(tenantId);
      if (group || tenantLimit !== undefined) {
        await promote(tenantId, group, tenantLimit);
        return;
      }
      // Any of the tenant's queues may have changed: those whose head has room.
      for (const queue of await stalledQueues(deps.db, configured, tenantId)) await promote(queue.tenantId, queue.group);
    })().catch((error: unknown) => logger.warn({ err: error, tenantId }, 'looking for queued runs to start failed; the sweep will'));
  };

  return {
    async slotOf(q, { tenantId, workflowId, definition, context, topLevel }) {
      const tenantLimit = await limitOf(tenantId, q);
      const concurrency = definition.concurrency;
      if (!concurrency) return { tenantId, topLevel, tenantLimit };
      return {
        tenantId,
        topLevel,
        tenantLimit,
        group: { workflowId, key: await concurrencyKeyOf(concurrency, context), limit: concurrency.limit },
      };
    },
    limited: (slot) => slot.group !== undefined || (slot.tenantLimit !== undefined && slot.topLevel),
    admit: async (tx, slot) => admit(tx, slot, await limitOf(slot.tenantId, tx)),
    freed({ tenantId, group, topLevel }) {
      void (async () => {
        const tenantLimit = await limitOf(tenantId);
        // A run no limit applied to freed nothing: the common case costs a cached read.
        if (group || (tenantLimit !== undefined && topLevel)) await promote(tenantId, group, tenantLimit);
      })().catch((error: unknown) => logger.warn({ err: error, tenantId }, 'handing a freed slot on failed; the sweep will'));
    },
    queueChanged,
    tenantLimitChanged(tenantId) {
      forget(tenantId);
      queueChanged(tenantId, undefined);
      deps.publisher
        ?.publish(TENANT_LIMIT_TOPIC, { tenantId })
        .catch((error: unknown) =>
          logger.warn(
            { err: error, tenantId },
            `a tenant's new concurrency limit was not told to the other processes; they read it within ${TENANT_LIMIT_TTL_MS} ms`,
          ),
        );
    },
    async listen(source) {
      const unlisten = await listenForWakeups(source, TENANT_LIMIT_TOPIC, (message) => forget(tenantOf(message)), logger);
      const unresync = source.onResync?.(() => forget());
      return async () => {
        unresync?.();
        await unlisten();
      };
    },
    async sweep() {
      const stalled = await stalledQueues(deps.db, configured);
      let started = 0;
      for (const queue of stalled) started += await promote(queue.tenantId, queue.group);
      if (started > 0) logger.info({ started }, 'started queued runs whose slots had been freed by a process that stopped');
      return started;
    },
    async drain() {
      while (inFlight.size > 0) await Promise.all([...inFlight.values()].map((entry) => entry.done));
    },
  };
}
