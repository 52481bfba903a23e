import DataLoader from 'dataloader';
import type { JsonValue } from '../../entities/json.js';
import { requireViewer } from '../../auth/viewer.js';
import type { RequestContext } from '../../context.js';
import type {
  EventPage,
  ExecutionReads,
  ExecutionRecord,
  StepRecord,
  WorkflowRecord,
  WorkflowStatsRecord,
  WorkflowVersionRecord,
} from '../../engine/index.js';

/**
 * The DataLoaders of one request (or of one subscription event): every relation a list can reach is
 * loaded in one statement per relation, whatever the number of parents. Bound to the viewer's tenant.
 */
export interface Loaders {
  readonly reads: ExecutionReads;
  readonly execution: DataLoader<string, ExecutionRecord | undefined>;
  readonly workflow: DataLoader<string, WorkflowRecord | undefined>;
  readonly steps: DataLoader<string, StepRecord[]>;
  /** Per execution: step key → the `when` verdict its latest attempt recorded. */
  readonly whenVerdicts: DataLoader<string, Map<string, JsonValue>>;
  readonly events: DataLoader<EventsKey, EventPage, string>;
  readonly versions: DataLoader<string, WorkflowVersionRecord[]>;
  readonly stats: DataLoader<StatsKey, WorkflowStatsRecord, string>;
}

export interface EventsKey {
  executionId: string;
  after: number;
  first: number;
}

export interface StatsKey {
  workflowId: string;
  from: Date | undefined;
  to: Date | undefined;
}

function byId<T>(keys: readonly string[], records: readonly T[], idOf: (record: T) => string): Array<T | undefined> {
  const found = new Map(records.map((record) => [idOf(record), record]));
  return keys.map((key) => found.get(key));
}

function grouped<T>(keys: readonly string[], records: readonly T[], idOf: (record: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const record of records) groups.get(idOf(record))?.push(record);
  return keys.map((key) => groups.get(key) ?? []);
}

/** Batches keys that share everything but the id (the same `after`/`first`, the same window): one statement per group. */
async function inGroups<K, V>(keys: readonly K[], groupOf: (key: K) => string, load: (group: K[]) => Promise<V[]>): Promise<V[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((key, index) => {
    const group = groupOf(key);
    groups.set(group, [...(groups.get(group) ?? []), index]);
  });
  const results = new Array<V>(keys.length);
  await Promise.all(
    [...groups.values()].map(async (indexes) => {
      const values = await load(indexes.map((index) => keys[index] as K));
      indexes.forEach((index, position) => {
        results[index] = values[position] as V;
      });
    }),
  );
  return results;
}

export function createLoaders(reads: ExecutionReads): Loaders {
  return {
    reads,
    execution: new DataLoader(async (ids) => byId(ids, await reads.executionsByIds(ids), (record) => record.id)),
    workflow: new DataLoader(async (ids) => byId(ids, await reads.workflowsByIds(ids), (record) => record.id)),
    steps: new DataLoader(async (ids) => grouped(ids, await reads.stepsOf(ids), (record) => record.executionId)),
    whenVerdicts: new DataLoader(async (ids) =>
      grouped(ids, await reads.whenVerdictsOf(ids), (row) => row.executionId).map((rows) => new Map(rows.map((row) => [row.stepKey, row.verdict]))),
    ),
    versions: new DataLoader(async (ids) => grouped(ids, await reads.versionsOf(ids), (record) => record.workflowId)),
    events: new DataLoader(
      (keys) =>
        inGroups(keys, (key) => `${key.after}:${key.first}`, async (group) => {
          const [first] = group;
          if (!first) return [];
          const pages = await reads.eventsOf(group.map((key) => key.executionId), first.after, first.first);
          return group.map((key) => pages.get(key.executionId) ?? { events: [], hasNextPage: false });
        }),
      { cacheKeyFn: (key) => `${key.executionId}:${key.after}:${key.first}` },
    ),
    stats: new DataLoader(
      (keys) =>
        inGroups(keys, (key) => `${key.from?.toISOString() ?? ''}:${key.to?.toISOString() ?? ''}`, async (group) => {
          const [first] = group;
          if (!first) return [];
          const stats = await reads.statsOf(group.map((key) => key.workflowId), { from: first.from, to: first.to });
          const found = new Map(stats.map((record) => [record.workflowId, record]));
          return group.map((key) => found.get(key.workflowId) ?? emptyStats(key.workflowId));
        }),
      { cacheKeyFn: (key) => `${key.workflowId}:${key.from?.toISOString() ?? ''}:${key.to?.toISOString() ?? ''}` },
    ),
  };
}

function emptyStats(workflowId: string): WorkflowStatsRecord {
  return { workflowId, total: 0, successful: 0, failed: 0, cancelled: 0, running: 0, successRate: null, averageDurationMs: null, p95DurationMs: null, stepFailures: [] };
}

const perContext = new WeakMap<RequestContext, Loaders>();

/** The loaders of this request, made on first use, for the viewer's tenant. */
export function loadersOf(ctx: RequestContext): Loaders {
  let loaders = perContext.get(ctx);
  if (!loaders) {
    loaders = createLoaders(ctx.engine.reads(requireViewer(ctx.viewer).tenantId));
    perContext.set(ctx, loaders);
  }
  return loaders;
}

/**
 * A subscription keeps one context for all its events: each event starts with empty loaders (made
 * when a field first needs one), so that it shows the execution as it is at that event, not as the
 * first event found it.
 */
export function renewLoaders(ctx: RequestContext): void {
  perContext.delete(ctx);
}
