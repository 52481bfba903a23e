import type { Cache, CacheExchangeOpts, Data } from '@urql/exchange-graphcache';

/** Types without an id of their own live inside their parent's record. */
const embedded = () => null;

/**
 * A run that appears, or leaves or enters a status filter, changes which rows a list holds: the lists
 * are invalidated and graphcache fetches the ones on screen again. Status changes of rows already
 * listed need nothing: the change carries the execution, normalised over the row by its id.
 */
function onExecutionChanged(result: Data, _args: unknown, cache: Cache): void {
  const change = result['executionsChanged'];
  const created = typeof change === 'object' && change !== null && (change as { type?: unknown }).type === 'execution.created';
  for (const field of cache.inspectFields('Query')) {
    if (field.fieldName !== 'executions') continue;
    const filter = field.arguments?.['filter'];
    const byStatus = typeof filter === 'object' && filter !== null && 'status' in filter;
    if (created || byStatus) cache.invalidate('Query', field.fieldName, field.arguments ?? undefined);
  }
}

export const cacheConfig: CacheExchangeOpts = {
  keys: {
    PageInfo: embedded,
    ExecutionConnection: embedded,
    ExecutionEdge: embedded,
    ExecutionTrigger: embedded,
    ExecutionError: embedded,
    ExecutionStep: embedded,
    StepCompensation: embedded,
    ExecutionEventPage: embedded,
    ExecutionChange: embedded,
    ExecutionEvent: (event) => `${String(event['executionId'])}:${String(event['sequence'])}`,
    LoginPayload: embedded,
    WorkflowConnection: embedded,
    WorkflowVersion: embedded,
  },
  updates: {
    Subscription: { executionsChanged: onExecutionChanged },
  },
};
