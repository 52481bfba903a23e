import DataLoader from 'dataloader';
import type { JsonObject, JsonValue } from '../../entities/json.js';
import { requireViewer } from '../../auth/viewer.js';
import type { RequestContext } from '../../context.js';
import type {
  EventPage,
  ExecutionReads,
  ExecutionRecord,
  RecordRef,
  RecordTouchRecord,
  StepKey,
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
  /** One step by run and key (undefined: not started): a live event's step without the run's others. */
  readonly step: DataLoader<StepKey, StepRecord | undefined, string>;
  /** Per execution: step key → the `when` verdict its latest attempt recorded. */
  readonly whenVerdicts: DataLoader<string, Map<string, JsonValue>>;
  readonly events: DataLoader<EventsKey, EventPage, string>;
  readonly versions: DataLoader<string, WorkflowVersionRecord[]>;
  /** Per execution: the definition of the version it is pinned to, in its author's key order. */
  readonly pinnedDefinition: DataLoader<string, JsonObject | undefined>;
  readonly stats: DataLoader<StatsKey, WorkflowStatsRecord, string>;
  /** Per record: the steps that created or changed it, oldest first. */
  readonly lineage: DataLoader<RecordRef, RecordTouchRecord[], string>;
  /** Per execution: the records its steps created or changed. */
  readonly touchedRecords: DataLoader<string, RecordTouchRecord[]>;
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

const refKey = (ref: RecordRef): string => `${ref.type}:${ref.id}`;
const stepKeyOf = (step: StepKey): string => `${step.executionId}:${step.key}`;

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

/** Each loader is made when a field first needs it (a request needs one or two of the ten). */
type LoaderName = Exclude<keyof Loaders, 'reads'>;

class RequestLoaders implements Loaders {
  private made: { -readonly [K in LoaderName]?: Loaders[K] } = {};

  constructor(readonly reads: ExecutionReads) {}

  get execution(): Loaders['execution'] {
    return (this.made.execution ??= new DataLoader<string, ExecutionRecord | undefined>(async (ids) =>
      byId(ids, await this.reads.executionsByIds(ids), (record) => record.id),
    ));
  }

  get workflow(): Loaders['workflow'] {
    return (this.made.workflow ??= new DataLoader<string, WorkflowRecord | undefined>(async (ids) =>
      byId(ids, await this.reads.workflowsByIds(ids), (record) => record.id),
    ));
  }

  get steps(): Loaders['steps'] {
    return (this.made.steps ??= new DataLoader<string, StepRecord[]>(async (ids) =>
      grouped(ids, await this.reads.stepsOf(ids), (record) => record.executionId),
    ));
  }

  get step(): Loaders['step'] {
    return (this.made.step ??= new DataLoader<StepKey, StepRecord | undefined, string>(
      async (keys) => byId(keys.map(stepKeyOf), await this.reads.stepsByKey(keys), stepKeyOf),
      { cacheKeyFn: stepKeyOf },
    ));
  }

  get whenVerdicts(): Loaders['whenVerdicts'] {
    return (this.made.whenVerdicts ??= new DataLoader<string, Map<string, JsonValue>>(async (ids) =>
      grouped(ids, await this.reads.whenVerdictsOf(ids), (row) => row.executionId).map(
        (rows) => new Map(rows.map((row) => [row.stepKey, row.verdict])),
      ),
    ));
  }

  get versions(): Loaders['versions'] {
    return (this.made.versions ??= new DataLoader<string, WorkflowVersionRecord[]>(async (ids) =>
      grouped(ids, await this.reads.versionsOf(ids), (record) => record.workflowId),
    ));
  }

  get pinnedDefinition(): Loaders['pinnedDefinition'] {
    return (this.made.pinnedDefinition ??= new DataLoader<string, JsonObject | undefined>(async (ids) =>
      byId(ids, await this.reads.pinnedDefinitionsOf(ids), (row) => row.executionId).map((row) => row?.definition),
    ));
  }

  get events(): Loaders['events'] {
    const { reads } = this;
    return (this.made.events ??= new DataLoader<EventsKey, EventPage, string>(
      (keys) =>
        inGroups(
          keys,
          (key) => `${key.after}:${key.first}`,
          async (group) => {
            const [first] = group;
            if (!first) return [];
            const pages = await reads.eventsOf(
              group.map((key) => key.executionId),
              first.after,
              first.first,
            );
            return group.map((key) => pages.get(key.executionId) ?? { events: [], hasNextPage: false });
          },
        ),
      { cacheKeyFn: (key) => `${key.executionId}:${key.after}:${key.first}` },
    ));
  }

  get lineage(): Loaders['lineage'] {
    const { reads } = this;
    return (this.made.lineage ??= new DataLoader<RecordRef, RecordTouchRecord[], string>(
      async (refs) =>
        grouped(refs.map(refKey), await reads.lineageOf(refs), (touch) => refKey({ type: touch.recordType, id: touch.recordId })),
      { cacheKeyFn: refKey },
    ));
  }

  get touchedRecords(): Loaders['touchedRecords'] {
    return (this.made.touchedRecords ??= new DataLoader<string, RecordTouchRecord[]>(async (ids) =>
      grouped(ids, await this.reads.recordsTouchedBy(ids), (touch) => touch.executionId),
    ));
  }

  get stats(): Loaders['stats'] {
    const { reads } = this;
    return (this.made.stats ??= new DataLoader<StatsKey, WorkflowStatsRecord, string>(
      (keys) =>
        inGroups(
          keys,
          (key) => `${key.from?.toISOString() ?? ''}:${key.to?.toISOString() ?? ''}`,
          async (group) => {
            const [first] = group;
            if (!first) return [];
            const stats = await reads.statsOf(
              group.map((key) => key.workflowId),
              { from: first.from, to: first.to },
            );
            const found = new Map(stats.map((record) => [record.workflowId, record]));
            return group.map((key) => found.get(key.workflowId) ?? emptyStats(key.workflowId));
          },
        ),
      { cacheKeyFn: (key) => `${key.workflowId}:${key.from?.toISOString() ?? ''}:${key.to?.toISOString() ?? ''}` },
    ));
  }
}

export function createLoaders(reads: ExecutionReads): Loaders {
  return new RequestLoaders(reads);
}

function emptyStats(workflowId: string): WorkflowStatsRecord {
  return {
    workflowId,
    total: 0,
    successful: 0,
    failed: 0,
    cancelled: 0,
    running: 0,
    queued: 0,
    successRate: null,
    averageDurationMs: null,
    p95DurationMs: null,
    stepFailures: [],
  };
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
