import type { ConcurrencyControl } from './concurrency.js';
import type { JsonObject, JsonValue } from '../../entities/json.js';
import type { UserRole } from '../../entities/statuses.js';

/**
 * The workflow definition language: JSON, compatible with the seeds' format
 * (`{ "steps": [{ "name", "type": "service_call", "service", "method", "params", "critical" }] }`).
 *
 * Conventions:
 * - Step names are unique across the whole definition, nested steps included; a step's key in the
 *   execution's checkpoints is its name.
 * - Strings inside `params`, `input`, `output`, `until` and compensation params are templates:
 *   `${context.x}`, `${steps.<name>.output.x}`, or the seeds' bare `${x}` / `${quote.id}` resolved against the
 *   merged context (the run's context overlaid with every completed step's output, in order). A string that
 *   is exactly one `${…}` takes the value's type; a template inside a longer string is interpolated.
 * - `expression`, `when` and `match` are JSONata, evaluated against `{ context, steps, ...mergedContext }`
 *   (and `event` for wait matches). Never `eval`.
 */

export const STEP_TYPES = ['service_call', 'transform', 'condition', 'wait', 'parallel', 'sub_workflow', 'approval'] as const;
export type StepType = (typeof STEP_TYPES)[number];

export const JITTER_MODES = ['none', 'full', 'equal'] as const;
export type JitterMode = (typeof JITTER_MODES)[number];

/** Retries of one step. Absent: the step runs once. */
export interface RetryPolicy {
  /** Total attempts including the first; ≥ 1. */
  maxAttempts: number;
  /** Delay before the 2nd attempt. Default 1. */
  initialIntervalSeconds?: number;
  /** Each further delay is the previous × this. Default 2. */
  backoffRate?: number;
  /** Upper bound of any one delay. Default 300. */
  maxDelaySeconds?: number;
  /** Default 'full' (AWS "full jitter": uniform in [0, delay]). */
  jitter?: JitterMode;
  /** Error codes worth retrying. Absent: whatever the error itself says is retryable. */
  retryOn?: string[];
}

interface StepBase {
  name: string;
  description?: string;
  /** JSONata; when false the step is recorded as `skipped` and the run goes on. */
  when?: string;
  /** Default true. A non-critical failure is recorded and the run goes on. */
  critical?: boolean;
  retry?: RetryPolicy;
  /** Per attempt. */
  timeoutSeconds?: number;
}

export interface ServiceReference {
  /** e.g. `customer` (the seeds' `customer_service` is accepted too). */
  service: string;
  /** e.g. `createFromLead` (the seeds' `create_from_lead` is accepted too). */
  method: string;
  /** Templated parameters. */
  params?: JsonObject;
}

export interface ServiceCallStep extends StepBase, ServiceReference {
  type: 'service_call';
  /** Run, in reverse order of completion, when a later critical step fails. */
  compensate?: ServiceReference;
}

export interface TransformStep extends StepBase {
  type: 'transform';
  /** JSONata producing the step's output… */
  expression?: string;
  /** …or a templated JSON value. Exactly one of the two. */
  output?: JsonValue;
}

export const CONDITION_ON_FALSE = ['continue', 'end', 'fail'] as const;
export type ConditionOnFalse = (typeof CONDITION_ON_FALSE)[number];

export interface ConditionStep extends StepBase {
  type: 'condition';
  /** JSONata; its truthiness picks the branch. */
  expression: string;
  /** Steps run when true (the others are recorded as skipped). */
  then?: StepDefinition[];
  /** Steps run when false. */
  else?: StepDefinition[];
  /**
   * After a false result (and its `else` steps): go on with the next step (default), end the run as
   * completed (`end`), or fail it (`fail`).
   */
  onFalse?: ConditionOnFalse;
}

export const WAIT_TIMEOUT_ACTIONS = ['fail', 'continue'] as const;
export type WaitTimeoutAction = (typeof WAIT_TIMEOUT_ACTIONS)[number];

/**
 * How far back a wait's events may come from: those recorded since its step started (`step`, the
 * default), or since its run began (`run`), for an event an earlier step of the run may already have
 * caused — a webhook answering the intent that step made. See `runEventsSince` in store/sql.ts.
 */
export const WAIT_EVENTS_SINCE = ['step', 'run'] as const;
export type WaitEventsSince = (typeof WAIT_EVENTS_SINCE)[number];

export interface WaitForEvent {
  /** Event name, e.g. `quote.accepted`. */
  name: string;
  /** JSONata over `{ event, context, steps, … }`; the first event that matches resumes the run. */
  match?: string;
  /** Default `step`. With `run`, `match` should correlate (an id of the run's), or any earlier event of the name resumes it. */
  since?: WaitEventsSince;
  timeoutSeconds?: number;
  /** Default 'fail'. On 'continue' the step's output is `{ "timedOut": true }`. */
  onTimeout?: WaitTimeoutAction;
}

/** Exactly one of `seconds`, `until`, `event`. */
export interface WaitStep extends StepBase {
  type: 'wait';
  seconds?: number;
  /** Template resolving to an ISO-8601 date-time. */
  until?: string;
  event?: WaitForEvent;
}

export interface ParallelStep extends StepBase {
  type: 'parallel';
  /** Each branch runs its steps in order; branches run concurrently and are joined. */
  branches: StepDefinition[][];
}

export interface SubWorkflowStep extends StepBase {
  type: 'sub_workflow';
  workflow: string;
  /** Default: the workflow's current version when the step starts. */
  version?: number;
  /** Templated context of the child run. */
  input?: JsonObject;
}

export const APPROVAL_TIMEOUT_ACTIONS = ['approve', 'reject', 'fail'] as const;
export type ApprovalTimeoutAction = (typeof APPROVAL_TIMEOUT_ACTIONS)[number];
export const APPROVAL_REJECT_ACTIONS = ['fail', 'continue'] as const;
export type ApprovalRejectAction = (typeof APPROVAL_REJECT_ACTIONS)[number];
export const MAX_APPROVERS_REQUIRED = 20;

/** Who may decide: anyone matching one of these (at least one is given). Only signed-in users decide, never API keys. */
export interface ApprovalApprovers {
  /** Users of these roles in the run's tenant. */
  roles?: UserRole[];
  /** Users whose role grants this permission (e.g. `execution:retry`). */
  permission?: string;
  /** Users named by e-mail or user id; templates allowed (`${context.manager_email}`). */
  users?: string[];
}

export interface ApprovalTimeout {
  seconds: number;
  /** What no decision in time comes to: approved, rejected (as `onReject` says), or the step fails with TIMEOUT. */
  onTimeout: ApprovalTimeoutAction;
}

/**
 * A person's decision as a step: the run parks (holding no worker) until `required` approvers approve,
 * one rejects, or the timeout passes. Its output records the decisions.
 */
export interface ApprovalStep extends StepBase {
  type: 'approval';
  /** Templated text shown to the approvers. */
  prompt: string;
  /** Templated JSON shown with the prompt. */
  data?: JsonValue;
  approvers: ApprovalApprovers;
  /** Approvals needed (N of the M who may decide). Default 1. */
  required?: number;
  timeout?: ApprovalTimeout;
  /**
   * A rejection: the step fails with APPROVAL_REJECTED (`fail`, default: a critical step then fails the run
   * and runs its compensations), or completes with `{ approved: false }` for a later condition (`continue`).
   */
  onReject?: ApprovalRejectAction;
}

export type StepDefinition = ServiceCallStep | TransformStep | ConditionStep | WaitStep | ParallelStep | SubWorkflowStep | ApprovalStep;

/** Starts a run when a domain event of this name is delivered (each event id starts at most one run). */
/** A run's priority among queued runs (executeWorkflow's `priority`, a trigger's): higher first. */
export const MIN_PRIORITY = -1_000;
export const MAX_PRIORITY = 1_000;

export interface EventTrigger {
  event: string;
  /** JSONata over `{ event, eventId, eventName }`; a falsy result ignores the event. */
  filter?: string;
  /** JSONata over the same document producing the run's context. Default: the event's payload. */
  context?: string;
  /** The runs it starts wait, when queued by a concurrency limit, behind those of higher priority (default 0). */
  priority?: number;
}

export const SCHEDULE_CATCH_UP = ['skip', 'once'] as const;
export type ScheduleCatchUp = (typeof SCHEDULE_CATCH_UP)[number];
export const SCHEDULE_OVERLAP = ['allow', 'skip'] as const;
export type ScheduleOverlap = (typeof SCHEDULE_OVERLAP)[number];

/** Starts a run on a cron schedule, exactly once per tick however many schedulers run. */
export interface CronSchedule {
  /** Unique within the workflow. */
  name: string;
  /** Five- or six-field cron expression. */
  cron: string;
  /** IANA time zone; default UTC. */
  timezone?: string;
  /** The run's context. */
  input?: JsonObject;
  /** Ticks missed while nothing ran: dropped (`skip`, default) or run once (`once`). */
  catchUp?: ScheduleCatchUp;
  /** When the previous scheduled run is still going: start another (`allow`, default) or not (`skip`). */
  overlap?: ScheduleOverlap;
  /** The runs it starts wait, when queued by a concurrency limit, behind those of higher priority (default 0). */
  priority?: number;
}

export interface WorkflowDefinition {
  steps: StepDefinition[];
  /** JSON Schema (draft 2020-12) that a run's context must satisfy when it starts. */
  input?: JsonObject;
  /** Templated result of a completed run. Default: every completed step's output, by step name. */
  output?: JsonValue;
  triggers?: EventTrigger[];
  schedules?: CronSchedule[];
  /** At most `limit` runs in progress at once, per value of `key` or for the whole workflow (flow-control.ts). */
  concurrency?: ConcurrencyControl;
}

/** A definition's problem, found when it is saved: where (a JSON path such as `$.steps[2].params.x`) and what. */
export interface DefinitionIssue {
  path: string;
  message: string;
}

/** The engine's switches end with it; it lives with the typed errors, for every layer. */
export { assertNever } from '../../errors.js';
