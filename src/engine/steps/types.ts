import type { JsonObject, JsonValue, RecordedError } from '../../entities/json.js';
import type { ExecutionStatus } from '../../entities/statuses.js';
import type { ServiceEffects } from '../../services/registry.js';
import type { StepDefinition, StepType, WaitEventsSince } from '../definition/step-types.js';
import type { Verdict } from '../definition/verdicts.js';
import type { StepState } from '../runtime/state.js';
import type { ApprovalOpening, ApprovalRecord } from '../store/approval-store.js';
import type { ServiceCallRequest } from '../store/service-calls.js';

/**
 * What running a step (one attempt, or a look at a waiting step) came to; `when`: the verdict of the
 * step's `when` guard that let this attempt run (it is recorded with the attempt's end).
 */
export type StepOutcome = OutcomeBody & { when?: Verdict };

type OutcomeBody =
  | { kind: 'completed'; output: JsonValue; input?: JsonValue; committed?: boolean }
  | { kind: 'failed'; error: RecordedError; input?: JsonValue }
  /** Its `when` guard was false. */
  | { kind: 'skipped'; verdict: Verdict }
  /** A condition chose its branch; the branch's steps run next, the other branch's are skipped. */
  | { kind: 'branch'; branch: 'then' | 'else'; verdict: Verdict }
  /** A container (parallel) started: its children run next. */
  | { kind: 'started' }
  /**
   * The step must wait: for `until`, for an event (`wait` registers it), or for a child run (no time).
   * `output` is kept while it waits (e.g. the child's id) and shown to watchers.
   */
  | { kind: 'waiting'; until?: Date; output?: JsonObject; input?: JsonValue; wait?: EventWaitRegistration };

export interface EventWaitRegistration {
  eventName: string;
  match?: string;
  expiresAt?: Date;
  /** `run`: the events since the run began may resume it, not only those since the step started. */
  since?: WaitEventsSince;
}

export interface EventWaitState {
  eventName: string;
  expiresAt?: Date;
  resolvedAt?: Date;
  resolvedEventId?: string;
  resolvedPayload?: JsonObject;
}

export interface ChildExecutionState {
  id: string;
  status: ExecutionStatus;
  /** How many child runs the step has started, this (its latest) one included. */
  startedByStep: number;
  result?: JsonValue;
  error?: RecordedError;
}

/** One call of a service method: its name, resolved parameters and idempotency key. */
export type StepServiceCall = Pick<ServiceCallRequest, 'service' | 'method' | 'params' | 'idempotencyKey' | 'undoes'>;

/**
 * The domain services as a step handler calls them. The runner supplies their database (a handler never
 * sees one) and records what they create or change as the step's doing.
 */
export interface StepServices {
  /** The method's declared effects; undefined when there is no such method. */
  effectsOf(service: string, method: string): ServiceEffects | undefined;
  /** Calls the method on its own, outside any transaction of the step's. */
  call(call: StepServiceCall): Promise<JsonValue>;
  /**
   * Calls the method in a transaction that also records the step as completed with its output (its
   * parameters as the step's input): a local effect and its checkpoint commit together or not at all.
   */
  callInStepTransaction(call: StepServiceCall): Promise<StepOutcome>;
}

/** What a handler may use; the runner supplies it per attempt. */
export interface StepRunContext {
  readonly executionId: string;
  readonly tenantId: string;
  /** What was recorded of this step before this attempt (absent on the first). */
  readonly recorded: StepState | undefined;
  readonly attempt: number;
  readonly now: Date;
  /** Aborted on timeout, cancellation, or a lost lease. */
  readonly signal: AbortSignal;
  /** Resolves `${…}` templates against the run; `path` names where, for errors. */
  resolve(value: JsonValue, path: string): JsonValue;
  /** Evaluates JSONata against `{ context, steps, …merged context }` plus `extra`. */
  evaluate(expression: string, extra?: JsonObject): Promise<JsonValue | undefined>;
  /** The domain services, called as this step. */
  readonly services: StepServices;
  /**
   * Starts a child run and returns its id: idempotent per step and `generation` (how many children the
   * step started before; a new attempt after a failed child starts the next one).
   */
  startChildExecution(args: { workflow: string; version?: number | undefined; input: JsonObject; generation: number }): Promise<string>;
  /** The step's latest child run. */
  childExecution(): ChildExecutionState | undefined;
  /** True when this call resumes the step where it waited (a crash or a wait), not a new attempt. */
  readonly resuming: boolean;
  eventWait(): EventWaitState | undefined;
  /** This step's approval request (an `approval` step's): read, opened once, closed at its deadline. */
  readonly approval: {
    load(): Promise<ApprovalRecord | undefined>;
    open(request: Omit<ApprovalOpening, 'tenantId' | 'executionId' | 'stepKey'>): Promise<ApprovalRecord>;
    expire(): Promise<ApprovalRecord>;
  };
  /** A failure as recorded on the step (code, message, retryable); internal errors are logged with their stack here. */
  recordError(error: unknown): RecordedError;
}

export interface StepHandler<S extends StepDefinition> {
  run(step: S, ctx: StepRunContext): Promise<StepOutcome>;
}

/** One handler per step type: a missing one is a compile error. */
export type StepHandlers = { [T in StepType]: StepHandler<Extract<StepDefinition, { type: T }>> };
