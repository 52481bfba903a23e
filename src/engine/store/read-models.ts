import type { JsonObject, JsonValue, RecordedError } from '../../entities/json.js';
import type { LineageAction, RecordType } from '../../entities/record-lineage.entity.js';
import type { ExecutionStatus, StepStatus, TriggerType } from '../../entities/statuses.js';
import type { ExecutionEventMessage } from '../topics.js';
import type { WorkflowRecord } from './workflow-store.js';

/** The API's read models (what createExecutionReads in execution-reads.ts answers), and the limits of its pages. */

export const MAX_PAGE_SIZE = 100;
export const MAX_EVENT_PAGE_SIZE = 1_000;

export interface ExecutionRecord {
  id: string;
  tenantId: string;
  workflowId: string;
  workflowVersion: number;
  status: ExecutionStatus;
  context: JsonObject;
  result: JsonValue | null;
  error: RecordedError | null;
  triggerType: TriggerType;
  triggerSource: string | null;
  idempotencyKey: string | null;
  parentExecutionId: string | null;
  parentStepKey: string | null;
  cancelRequested: boolean;
  pauseRequested: boolean;
  /** Among queued runs, higher first. */
  priority: number;
  /** Its concurrency group: the key's value (null: the whole workflow) and the limit; null when unlimited. */
  concurrency: { key: string | null; limit: number } | null;
  /** The sequence number of the last event in the execution's log. */
  lastEventSeq: number;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  updatedAt: Date;
}

/**
 * An execution as a list reads it: without its context and result, which grow with every step's output
 * and which a list seldom shows (the API loads them by id when a list asks for them).
 */
export type ExecutionSummaryRecord = Omit<ExecutionRecord, 'context' | 'result'>;

/**
 * A row of an executions page: its summary and, when the caller asked for `workflowName`, its
 * workflow's name, read in the page's own statement (a list that shows only the name needs no second
 * one). Null: the workflow is gone.
 */
export type ExecutionListRecord = ExecutionSummaryRecord & { workflowName?: string | null };

/** What a list can ask of each execution: a summary field, or its workflow's name. */
export type ExecutionListField = keyof ExecutionSummaryRecord | 'workflowName';

export interface CompensationRecordView {
  status: string;
  error: RecordedError | null;
  at: Date | null;
}

/** A step of a run, by its key. */
export interface StepKey {
  executionId: string;
  key: string;
}

export interface StepRecord {
  executionId: string;
  key: string;
  name: string;
  type: string;
  sequence: number;
  status: StepStatus;
  /** The step's resolved parameters. */
  input: JsonValue | null;
  output: JsonValue | null;
  error: RecordedError | null;
  attempts: number;
  startedAt: Date | null;
  completedAt: Date | null;
  nextAttemptAt: Date | null;
  compensation: CompensationRecordView | null;
}

export interface WorkflowVersionRecord {
  workflowId: string;
  version: number;
  /** The author's label of this version, if given. */
  label: string | null;
  definition: JsonObject;
  createdAt: Date;
}

export interface StepFailureCount {
  step: string;
  failures: number;
}

export interface WorkflowStatsRecord {
  workflowId: string;
  total: number;
  successful: number;
  failed: number;
  cancelled: number;
  /** In progress: pending, running, waiting or paused. */
  running: number;
  /** Held back by a concurrency limit until a slot frees. */
  queued: number;
  /** successful / (successful + failed + cancelled); null while none finished. */
  successRate: number | null;
  /** Over finished runs that started (completed, failed or cancelled): completedAt − startedAt. */
  averageDurationMs: number | null;
  p95DurationMs: number | null;
  /** Per step key: in how many of these runs the step ended failed. Most failures first. */
  stepFailures: StepFailureCount[];
}

export interface TimeWindow {
  /** Runs created at or after this. */
  from?: Date | undefined;
  /** Runs created before this. */
  to?: Date | undefined;
}

export interface ExecutionListFilter {
  /** A workflow's name. */
  workflow?: string | undefined;
  statuses?: readonly ExecutionStatus[] | undefined;
  triggers?: readonly TriggerType[] | undefined;
  startedAfter?: Date | undefined;
  startedBefore?: Date | undefined;
  /** JSON containment (`context @> contextMatch`). */
  contextMatch?: JsonObject | undefined;
  /** Runs one of whose steps created or changed this record. */
  touching?: RecordRef | undefined;
}

/** A domain record whose lineage is kept (entities/record-lineage.entity.ts). */
export interface RecordRef {
  type: RecordType;
  id: string;
}

/** A step of a run that created or changed a record. */
export interface RecordTouchRecord {
  recordType: RecordType;
  recordId: string;
  executionId: string;
  stepKey: string;
  action: LineageAction;
  at: Date;
}

export interface WorkflowPageFilter {
  active?: boolean | undefined;
  /** Workflows carrying every one of these tags. */
  tags?: readonly string[] | undefined;
  /** Case-insensitive substring of the name. */
  nameContains?: string | undefined;
}

export interface PageRequest {
  first: number;
  /** An `endCursor` of the previous page. */
  after?: string | undefined;
}

export interface Page<T> {
  items: Array<{ cursor: string; node: T }>;
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface EventPage {
  events: ExecutionEventMessage[];
  hasNextPage: boolean;
}

/** The start of a progress stream: the execution as it is now and its log after a sequence number. */
export interface ProgressSnapshot {
  status: ExecutionStatus;
  lastEventSeq: number;
  events: ExecutionEventMessage[];
}

/** Reads confined to one tenant. */
export interface ExecutionReads {
  readonly tenantId: string;
  /**
   * `fields`: what the caller will read of each execution (and its id); the others are not read from
   * the database and stay undefined — for a list whose answer shows no more than these.
   */
  executionPage(
    filter: ExecutionListFilter,
    page: PageRequest,
    fields: ReadonlySet<ExecutionListField> | 'all',
  ): Promise<Page<ExecutionListRecord>>;
  /** Unknown, malformed and other tenants' ids are simply absent. */
  executionsByIds(ids: readonly string[]): Promise<ExecutionRecord[]>;
  /** In each execution's step order. */
  stepsOf(executionIds: readonly string[]): Promise<StepRecord[]>;
  /** Single steps by run and key, in no order; steps not started (and other tenants' runs) are absent. */
  stepsByKey(steps: readonly StepKey[]): Promise<StepRecord[]>;
  /** For each execution, up to `first` events after sequence `after` (and whether more follow). */
  eventsOf(executionIds: readonly string[], after: number, first: number): Promise<Map<string, EventPage>>;
  /** Per step of these executions, the `when` verdict its latest attempt recorded (in its events). */
  whenVerdictsOf(executionIds: readonly string[]): Promise<Array<{ executionId: string; stepKey: string; verdict: JsonValue }>>;
  /** Undefined when the execution is not this tenant's. */
  progress(executionId: string, after: number, first: number): Promise<ProgressSnapshot | undefined>;
  workflowPage(filter: WorkflowPageFilter, page: PageRequest): Promise<Page<WorkflowRecord>>;
  /** With their current versions' definitions. */
  workflowsByIds(ids: readonly string[]): Promise<WorkflowRecord[]>;
  workflowByName(name: string): Promise<WorkflowRecord | undefined>;
  /** Newest first. */
  versionsOf(workflowIds: readonly string[]): Promise<WorkflowVersionRecord[]>;
  /** The definition of the version each execution is pinned to, in its author's key order. */
  pinnedDefinitionsOf(executionIds: readonly string[]): Promise<Array<{ executionId: string; definition: JsonObject }>>;
  statsOf(workflowIds: readonly string[], window: TimeWindow): Promise<WorkflowStatsRecord[]>;
  /** The steps that created or changed these records, oldest first (at most MAX_TOUCHES_PER_RECORD each). */
  lineageOf(records: readonly RecordRef[]): Promise<RecordTouchRecord[]>;
  /** The records these executions' steps created or changed, in the order they did. */
  recordsTouchedBy(executionIds: readonly string[]): Promise<RecordTouchRecord[]>;
}

/** A record touched by more runs than this (a subscription renewed for decades) lists its first ones. */
export const MAX_TOUCHES_PER_RECORD = 100;
