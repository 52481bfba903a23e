import {
  context,
  createContextKey,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Link,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type {
  EngineObserver,
  RunRef,
  RunSegment,
  RunTracer,
  ScheduleTick,
  SystemScheduleTick,
  TickResult,
  UntracedEvent,
} from '../../engine/ports.js';
import type { JsonObject } from '../../entities/json.js';
import { silentObserver } from '../../engine/ports.js';
import type { StepOutcome } from '../../engine/steps/types.js';
import type { SegmentIds } from './ids.js';
import { activeTraceParent, executionTraceId, parseTraceParent, segmentSpanId } from './trace-context.js';

/** The attributes of Switchyard's spans. */
export const ATTR = {
  executionId: 'switchyard.execution.id',
  tenantId: 'switchyard.tenant.id',
  workflowName: 'switchyard.workflow.name',
  workflowVersion: 'switchyard.workflow.version',
  epoch: 'switchyard.run.segment',
  runStatus: 'switchyard.run.status',
  takenOver: 'switchyard.run.taken_over',
  stepKey: 'switchyard.step.key',
  stepType: 'switchyard.step.type',
  stepAttempt: 'switchyard.step.attempt',
  stepStatus: 'switchyard.step.status',
  errorCode: 'switchyard.error.code',
  requestId: 'switchyard.request.id',
  scheduleName: 'switchyard.schedule.name',
  scheduleTick: 'switchyard.schedule.tick',
  scheduleOutcome: 'switchyard.schedule.outcome',
  scheduleResult: 'switchyard.schedule.result',
  eventId: 'switchyard.event.id',
  eventName: 'switchyard.event.name',
  eventOccurredAt: 'switchyard.event.occurred_at',
} as const;

/** The segment a span of the engine runs in, carried in the OpenTelemetry context. */
interface SegmentState {
  readonly span: Span;
  readonly run: RunSegment;
  status: string | undefined;
}
const SEGMENT = createContextKey('switchyard.run-segment');

function activeSegment(run?: RunRef): SegmentState | undefined {
  const state = context.active().getValue(SEGMENT) as SegmentState | undefined;
  return state && (!run || state.run.executionId === run.executionId) ? state : undefined;
}

export interface TracingRunTracer extends RunTracer {
  /** Hears runs end, park and be taken over, for their segment's span (combine it with the other observers). */
  readonly observer: EngineObserver;
}

/**
 * The engine's RunTracer on OpenTelemetry: one `run <workflow>` span per segment of a run (a worker's
 * claim or local start to its park, hand-back or end), the child of the trace context stored with the
 * run and linked to the run's previous segment; one `step <key>` span per attempt, its child. Each runs
 * its body in its context, so that service calls, SQL and outbound HTTP nest under the step.
 */
export function createRunTracer(options: { tracer?: Tracer; ids?: SegmentIds } = {}): TracingRunTracer {
  const tracer = options.tracer ?? trace.getTracer('switchyard');
  const ids = options.ids;

  function startSegmentSpan(run: RunSegment): { span: Span; parent: typeof ROOT_CONTEXT } {
    const remote = parseTraceParent(run.traceParent);
    const traceId = remote?.traceId ?? executionTraceId(run.executionId);
    const links: Link[] = [];
    if (run.epoch > 1) {
      const previous = {
        traceId,
        spanId: segmentSpanId(run.executionId, run.epoch - 1),
        traceFlags: remote?.traceFlags ?? TraceFlags.SAMPLED,
        isRemote: true,
      };
      links.push({ context: previous, attributes: { 'switchyard.link': 'previous segment' } });
    }
    const attributes: Attributes = {
      [ATTR.executionId]: run.executionId,
      [ATTR.tenantId]: run.tenantId,
      [ATTR.workflowName]: run.workflow,
      [ATTR.workflowVersion]: run.version,
      [ATTR.epoch]: run.epoch,
      ...(run.requestId ? { [ATTR.requestId]: run.requestId } : {}),
    };
    const parent = remote ? trace.setSpanContext(ROOT_CONTEXT, remote) : ROOT_CONTEXT;
    const start = () => tracer.startSpan(`run ${run.workflow}`, { kind: SpanKind.INTERNAL, attributes, links }, parent);
    const span = ids ? ids.with({ traceId, spanId: segmentSpanId(run.executionId, run.epoch) }, start) : start();
    return { span, parent };
  }

  async function segment<T>(run: RunSegment, body: () => Promise<T>): Promise<T> {
    const { span, parent } = startSegmentSpan(run);
    const state: SegmentState = { span, run, status: undefined };
    try {
      return await context.with(trace.setSpan(parent, span).setValue(SEGMENT, state), body);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'the run stopped with an error' });
      throw error;
    } finally {
      // Parked, ended, or let go (handed back at shutdown, or its lease lost).
      span.setAttribute(ATTR.runStatus, state.status ?? 'released');
      span.end();
    }
  }

  async function step(
    step: { executionId: string; key: string; type: string; attempt: number },
    body: () => Promise<StepOutcome>,
  ): Promise<StepOutcome> {
    const run = activeSegment()?.run;
    const attributes: Attributes = {
      [ATTR.executionId]: step.executionId,
      [ATTR.stepKey]: step.key,
      [ATTR.stepType]: step.type,
      [ATTR.stepAttempt]: step.attempt,
      ...(run ? { [ATTR.workflowName]: run.workflow, [ATTR.workflowVersion]: run.version } : {}),
    };
    const parent = context.active();
    const span = tracer.startSpan(`step ${step.key}`, { kind: SpanKind.INTERNAL, attributes }, parent);
    try {
      const outcome = await context.with(trace.setSpan(parent, span), body);
      span.setAttribute(ATTR.stepStatus, outcome.kind);
      if (outcome.kind === 'failed') {
        span.setAttribute(ATTR.errorCode, outcome.error.code);
        span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error.message });
      }
      return outcome;
    } catch (error) {
      // A lost lease: the run stops here.
      span.setAttribute(ATTR.stepStatus, 'abandoned');
      throw error;
    } finally {
      span.end();
    }
  }

  /**
   * A tick's (or an untraced event's) span: the root of a new trace (the scheduler's or dispatcher's pass is
   * no span), so what the tick starts or records has a parent that says where it came from, and its SQL
   * nests under it.
   */
  async function tickSpan<T>(
    name: string,
    attributes: Attributes,
    body: () => Promise<T>,
    ended: (span: Span, result: T) => void,
    kind: SpanKind = SpanKind.INTERNAL,
  ): Promise<T> {
    const span = tracer.startSpan(name, { kind, attributes }, ROOT_CONTEXT);
    try {
      const result = await context.with(trace.setSpan(ROOT_CONTEXT, span), body);
      ended(span, result);
      return result;
    } catch (error) {
      // Transient: the tick's writes roll back and the next pass tries it again (another span).
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'tried again at the next pass' });
      throw error;
    } finally {
      span.end();
    }
  }

  /** `schedule <workflow>/<schedule>`: one tick of a workflow's cron schedule; the run it starts is its child. */
  function scheduleTick(tick: ScheduleTick, body: () => Promise<TickResult>): Promise<TickResult> {
    const attributes: Attributes = {
      [ATTR.workflowName]: tick.workflow,
      [ATTR.scheduleName]: tick.schedule,
      [ATTR.scheduleTick]: tick.tickAt.toISOString(),
      [ATTR.tenantId]: tick.tenantId,
    };
    return tickSpan(`schedule ${tick.workflow}/${tick.schedule}`, attributes, body, (span, result) => {
      span.setAttribute(ATTR.scheduleOutcome, result.outcome);
      if (result.executionId) span.setAttribute(ATTR.executionId, result.executionId);
      if (result.code) {
        span.setAttribute(ATTR.errorCode, result.code);
        span.setStatus({ code: SpanStatusCode.ERROR, message: `the scheduled run could not start (${result.code})` });
      }
    });
  }

  /**
   * `system schedule <name>`: one tick of a built-in schedule (the expiring-soon scan); the events it records
   * carry its context, so the runs they start are in its trace. Its summary is kept as an attribute.
   */
  function systemTick(tick: SystemScheduleTick, body: () => Promise<JsonObject>): Promise<JsonObject> {
    const attributes: Attributes = { [ATTR.scheduleName]: tick.schedule, [ATTR.scheduleTick]: tick.tickAt.toISOString() };
    return tickSpan(`system schedule ${tick.schedule}`, attributes, body, (span, result) => {
      span.setAttribute(ATTR.scheduleOutcome, 'ran');
      span.setAttribute(ATTR.scheduleResult, JSON.stringify(result));
    });
  }

  /**
   * `event <name>`: the delivery of an event recorded without a trace; the runs it starts are its children
   * (an event recorded in a trace needs none: its runs join that trace).
   */
  function untracedEvent<T>(event: UntracedEvent, body: () => Promise<T>): Promise<T> {
    const attributes: Attributes = {
      [ATTR.eventId]: event.id,
      [ATTR.eventName]: event.name,
      [ATTR.eventOccurredAt]: event.occurredAt.toISOString(),
      [ATTR.tenantId]: event.tenantId,
    };
    return tickSpan(`event ${event.name}`, attributes, body, () => undefined, SpanKind.CONSUMER);
  }

  const observer: EngineObserver = {
    ...silentObserver,
    leaseTakenOver(run) {
      activeSegment(run)?.span.setAttribute(ATTR.takenOver, true);
    },
    executionParked(run) {
      const state = activeSegment(run);
      if (state) state.status = run.status;
    },
    executionFinished(run) {
      const state = activeSegment(run);
      if (!state) return;
      state.status = run.status;
      if (run.code) state.span.setAttribute(ATTR.errorCode, run.code);
      if (run.status === 'failed')
        state.span.setStatus({ code: SpanStatusCode.ERROR, message: `the run failed${run.code ? ` (${run.code})` : ''}` });
    },
  };

  return { traceParent: activeTraceParent, segment, step, scheduleTick, systemTick, untracedEvent, observer };
}
