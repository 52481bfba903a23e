import type { RunTracer } from './ports.js';

/**
 * Where a run was started from, stored with it: the id of the API request that asked for it and, when
 * tracing is on, the caller's trace context, so that the run's spans join the caller's trace whichever
 * process runs it, and its log lines name the request. A start may name the trace to join (`traceParent`):
 * the dispatcher names the one its event was recorded in.
 */
export function runOrigin(
  input: { requestId?: string; traceParent?: string },
  tracer: RunTracer | undefined,
): { requestId?: string; traceParent?: string } {
  // Tracing off: nothing is stored, whatever the input names.
  const traceParent = tracer && (input.traceParent ?? tracer.traceParent());
  if (!traceParent) return input.requestId ? { requestId: input.requestId } : {};
  return { ...(input.requestId ? { requestId: input.requestId } : {}), traceParent };
}
