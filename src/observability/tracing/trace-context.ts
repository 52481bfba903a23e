import { createHash } from 'node:crypto';
import {
  context,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type SpanContext,
} from '@opentelemetry/api';

/** W3C trace context (`traceparent`) in and out, without depending on which propagator is installed. */

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The `traceparent` of the active span, when there is a valid one. */
export function activeTraceParent(): string | undefined {
  const span = trace.getSpanContext(context.active());
  if (!span || !isSpanContextValid(span)) return undefined;
  return `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** `{ traceParent }` of the active span, to store with what is done later (an outbox message); `{}` untraced. */
export function traceContext(): { traceParent?: string } {
  const traceParent = activeTraceParent();
  return traceParent ? { traceParent } : {};
}

/** A stored `traceparent` as a remote parent; undefined when absent or malformed. */
export function parseTraceParent(value: string | undefined): SpanContext | undefined {
  const match = value ? TRACEPARENT.exec(value) : null;
  if (!match) return undefined;
  const [, traceId = '', spanId = '', flags = '00'] = match;
  const parsed: SpanContext = { traceId, spanId, traceFlags: Number.parseInt(flags, 16) & TraceFlags.SAMPLED, isRemote: true };
  return isSpanContextValid(parsed) ? parsed : undefined;
}

/** The trace id of the active span (for log lines), when there is one. */
export function activeTraceId(): string | undefined {
  const span = trace.getSpanContext(context.active());
  return span && isSpanContextValid(span) ? span.traceId : undefined;
}

/** Runs `work` as a child of a stored `traceparent` (an outbox delivery of a traced step), or as it is without one. */
export function withTraceParent<T>(traceParent: string | undefined, work: () => T): T {
  const parent = parseTraceParent(traceParent);
  return parent ? context.with(trace.setSpanContext(ROOT_CONTEXT, parent), work) : work();
}

/**
 * `work` as a CLIENT span, the child of the active context: a call out that no instrumentation sees (SMTP).
 * With tracing off the API's tracer is a no-op and this costs a function call.
 */
export async function inClientSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return trace.getTracer('switchyard').startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The span id of a run's segment: the same in every process. */
export function segmentSpanId(executionId: string, epoch: number): string {
  return createHash('sha256').update(`${executionId}:${epoch}`).digest('hex').slice(0, 16);
}

/** The trace id of a run started without a caller's trace: its execution id. */
export function executionTraceId(executionId: string): string {
  return executionId.replace(/-/g, '').toLowerCase();
}
