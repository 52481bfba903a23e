import type { StepOutcome } from './steps/types.js';
import type { Queryable } from '../infra/queryable.js';
import type { JsonObject } from '../entities/json.js';

/** What the engine needs from outside, supplied by the composition root. */
export interface EventPublisher {
  publish(topic: string, payload: unknown): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What an operation did, for a statement written in its transaction: the run and the workflow version concerned. */
export interface OperationFacts {
  /** The run started, commanded or made (a rerun's new one); none for a change to a workflow. */
  executionId?: string;
  workflowId: string;
  version: number;
}

/**
 * A caller's statement (the API's audit record) run inside an engine operation's own transaction,
 * after the operation's writes: both commit together, or neither does.
 */
export type InOperation = (db: Queryable, facts: OperationFacts) => Promise<void>;

export interface OperationOptions {
  inTransaction?: InOperation;
}

/** How a step's attempt ended, as the observer hears it. */
export type StepEnd = 'completed' | 'failed' | 'retrying' | 'skipped';

/** Which run an observation is about: metrics keep the bounded `workflow` only, logs the rest. */
export interface RunRef {
  workflow: string;
  executionId: string;
  tenantId: string;
  /** The id of the API request that started the run, when one did. */
  requestId?: string;
}

/**
 * What the engine reports as it runs, for metrics and the run log (and traces to come). Calls are
 * cheap and never throw; the default observer does nothing.
 */
export interface EngineObserver {
  /** A run began (its first claim or local start). */
  executionStarted(run: RunRef & { trigger: string }): void;
  /** A worker took a due run; `seconds` it waited for one since it became due (its `wake_at`). */
  executionClaimed(run: RunRef & { seconds: number }): void;
  /** A worker took over a run another held (its lease expired, or it was handed back). */
  leaseTakenOver(run: RunRef): void;
  /** A worker took a parked run to go on (its timer, event, child run, resume or retry came). */
  executionResumed(run: RunRef): void;
  /** A run released its worker until a time, an event, a child run or a resume. */
  executionParked(run: RunRef & { status: 'waiting' | 'paused'; wakeAt: Date | undefined }): void;
  /** A run ended; `seconds` from its start. */
  executionFinished(
    run: RunRef & { status: 'completed' | 'failed' | 'cancelled'; seconds: number | undefined; code: string | undefined },
  ): void;
  /** An attempt of a step began. */
  stepStarted(step: RunRef & { type: string; step: string; attempt: number }): void;
  /** An attempt of a step ended; `seconds` from the attempt's start. */
  stepEnded(
    step: RunRef & { type: string; step: string; attempt: number; end: StepEnd; code: string | undefined; seconds: number | undefined },
  ): void;
  /** A completed step's compensation ran (recorded): it undid the step, or failed to (`code`). */
  stepCompensated(step: RunRef & { step: string; status: 'completed' | 'failed'; code: string | undefined }): void;
  /** A group-committed checkpoint statement. */
  checkpointCommitted(statement: { checkpoints: number; seconds: number }): void;
  /** A domain event was delivered (its runs started, its waits resumed); `seconds` since it was recorded. */
  eventDispatched(event: { seconds: number }): void;
  /** A schedule's tick started its run; `seconds` after the tick was due. */
  scheduleFired(tick: { workflow: string; seconds: number }): void;
}

export const silentObserver: EngineObserver = {
  executionStarted: () => undefined,
  leaseTakenOver: () => undefined,
  executionResumed: () => undefined,
  executionClaimed: () => undefined,
  executionParked: () => undefined,
  executionFinished: () => undefined,
  stepStarted: () => undefined,
  stepEnded: () => undefined,
  stepCompensated: () => undefined,
  checkpointCommitted: () => undefined,
  eventDispatched: () => undefined,
  scheduleFired: () => undefined,
};

/** A worker's segment of a run, as a tracer sees it: from its claim (or local start) to its park, hand-back or end. */
export interface RunSegment extends RunRef {
  version: number;
  /** The lease epoch: one per acquisition, so one per segment. */
  epoch: number;
  /** The W3C trace context stored with the run when it was started (`traceparent`), if any. */
  traceParent: string | undefined;
}

/**
 * Traces of runs (OpenTelemetry behind it, in src/observability); absent when tracing is off, so the
 * engine pays nothing for it then. `segment` and `step` run their body inside their span, so that what
 * the body does (service calls, SQL, outbound HTTP, child runs) nests under it.
 */
export interface RunTracer {
  /** The trace context to store with a run started now: the caller's (`traceparent`), when it is traced. */
  traceParent(): string | undefined;
  segment<T>(segment: RunSegment, body: () => Promise<T>): Promise<T>;
  /** One attempt of a step, inside the segment of its run. */
  step(step: { executionId: string; key: string; type: string; attempt: number }, body: () => Promise<StepOutcome>): Promise<StepOutcome>;
  /** A schedule's tick, as a trace of its own: the run it starts (stored with `traceParent()` inside) is its child. */
  scheduleTick(tick: ScheduleTick, body: () => Promise<TickResult>): Promise<TickResult>;
  /**
   * A system schedule's tick (code, such as the expiring-soon scan), as a trace of its own: what it records
   * inside (events stored with `traceParent()`, so the runs they start) is its child. `body` answers its summary.
   */
  systemTick(tick: SystemScheduleTick, body: () => Promise<JsonObject>): Promise<JsonObject>;
  /**
   * The delivery of a domain event recorded without a trace (by an untraced process, or before tracing was
   * on), as a trace of its own: the runs it starts inside (with `traceParent()`) are its children.
   */
  untracedEvent<T>(event: UntracedEvent, body: () => Promise<T>): Promise<T>;
}

/** A domain event being delivered without a recorded trace context, as a tracer sees it. */
export interface UntracedEvent {
  id: string;
  name: string;
  tenantId: string;
  occurredAt: Date;
}

/** One tick of a system schedule, as a tracer sees it. */
export interface SystemScheduleTick {
  schedule: string;
  /** When the tick was due. */
  tickAt: Date;
}

/** One tick of a cron schedule, as a tracer sees it. */
export interface ScheduleTick {
  workflow: string;
  schedule: string;
  tenantId: string;
  tickAt: Date;
}

/** What a tick did: started its run, skipped it (`overlap: skip`, the last still going), or failed to start it. */
export interface TickResult {
  outcome: 'started' | 'skipped' | 'failed';
  executionId?: string;
  code?: string;
}

/** Every observer hears every observation. */
export function combineObservers(...observers: EngineObserver[]): EngineObserver {
  return {
    executionStarted: (run) => observers.forEach((each) => each.executionStarted(run)),
    leaseTakenOver: (run) => observers.forEach((each) => each.leaseTakenOver(run)),
    executionResumed: (run) => observers.forEach((each) => each.executionResumed(run)),
    executionClaimed: (run) => observers.forEach((each) => each.executionClaimed(run)),
    executionParked: (run) => observers.forEach((each) => each.executionParked(run)),
    executionFinished: (run) => observers.forEach((each) => each.executionFinished(run)),
    stepStarted: (step) => observers.forEach((each) => each.stepStarted(step)),
    stepEnded: (step) => observers.forEach((each) => each.stepEnded(step)),
    stepCompensated: (step) => observers.forEach((each) => each.stepCompensated(step)),
    checkpointCommitted: (statement) => observers.forEach((each) => each.checkpointCommitted(statement)),
    eventDispatched: (event) => observers.forEach((each) => each.eventDispatched(event)),
    scheduleFired: (tick) => observers.forEach((each) => each.scheduleFired(tick)),
  };
}
