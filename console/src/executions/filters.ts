import type { ExecutionFilter, ExecutionStatus, TriggerType } from '../generated/graphql';

export const EXECUTION_STATUSES: readonly ExecutionStatus[] = ['PENDING', 'RUNNING', 'WAITING', 'PAUSED', 'COMPLETED', 'FAILED', 'CANCELLED'];
export const TRIGGER_TYPES: readonly TriggerType[] = ['API', 'EVENT', 'SCHEDULE', 'SUB_WORKFLOW', 'RERUN'];

/** The table's filters, as they stand in the URL (`?status=FAILED&workflow=x&trigger=EVENT`). */
export interface Filters {
  status: ExecutionStatus | null;
  workflow: string | null;
  trigger: TriggerType | null;
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
  };
}

export function toExecutionFilter(filters: Filters): ExecutionFilter {
  return {
    ...(filters.status ? { status: [filters.status] } : {}),
    ...(filters.workflow ? { workflow: filters.workflow } : {}),
    ...(filters.trigger ? { trigger: [filters.trigger] } : {}),
  };
}

export function isFiltered(filters: Filters): boolean {
  return Object.values(filters).some((value) => value !== null);
}
