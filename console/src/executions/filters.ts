import type { ExecutionFilter, ExecutionStatus, TriggerType } from '../generated/graphql';

export const EXECUTION_STATUSES: readonly ExecutionStatus[] = [
  'QUEUED',
  'PENDING',
  'RUNNING',
  'WAITING',
  'PAUSED',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
];
export const TRIGGER_TYPES: readonly TriggerType[] = ['API', 'EVENT', 'SCHEDULE', 'SUB_WORKFLOW', 'RERUN'];

/** How far back "Started" looks: the last hour, day or week. */
export const SINCE: Readonly<Record<string, number>> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000 };

/**
 * The table's filters, as they stand in the URL (`?status=FAILED&workflow=x&trigger=EVENT&since=24h&context={"a":1}`):
 * `context` is JSON the run's context must contain.
 */
export interface Filters {
  status: ExecutionStatus | null;
  workflow: string | null;
  trigger: TriggerType | null;
  since: string | null;
  context: string | null;
}

export type FilterName = keyof Filters;

function oneOf<T extends string>(values: readonly T[], value: string | null): T | null {
  return values.find((candidate) => candidate === value) ?? null;
}

export function parseFilters(params: URLSearchParams): Filters {
  return {
    status: oneOf(EXECUTION_STATUSES, params.get('status')),
    workflow: params.get('workflow') || null,
    trigger: oneOf(TRIGGER_TYPES, params.get('trigger')),
    since: oneOf(Object.keys(SINCE), params.get('since')),
    context: params.get('context') || null,
  };
}

/** A context filter's JSON as an object; null when it is not one. */
export function contextObject(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The API's filter; `now` anchors "since" (the page fixes it when the filters change, so the query stays put). */
export function toExecutionFilter(filters: Filters, now: number): ExecutionFilter {
  const since = filters.since ? SINCE[filters.since] : undefined;
  const context = contextObject(filters.context);
  return {
    ...(since ? { startedAfter: new Date(now - since).toISOString() } : {}),
    ...(context ? { contextMatch: context } : {}),
    ...(filters.status ? { status: [filters.status] } : {}),
    ...(filters.workflow ? { workflow: filters.workflow } : {}),
    ...(filters.trigger ? { trigger: [filters.trigger] } : {}),
  };
}

export function isFiltered(filters: Filters): boolean {
  return Object.values(filters).some((value) => value !== null);
}
