import type { StepType } from '../engine/definition/step-types.js';
import type {
  ExecutionEventMessage,
  ExecutionListRecord,
  ExecutionRecord,
  Page,
  StepRecord,
  WorkflowRecord,
  WorkflowStatsRecord,
  WorkflowVersionRecord,
} from '../engine/index.js';
import type { JsonObject, JsonValue, RecordedError } from '../entities/json.js';
import { AppError } from '../errors.js';
import {
  type ExecutionConnectionType,
  type ExecutionErrorType,
  type ExecutionEventType,
  type ExecutionStepType,
  ExecutionType,
} from '../schema/types/execution.type.js';
import { type WorkflowConnectionType, type WorkflowStatsType, type WorkflowVersionType } from '../schema/types/execution-workflow.type.js';
import type { WorkflowType } from '../schema/types/workflow.type.js';
import { redactSecrets } from './redact.js';

/** Engine records → schema types. No entity ever reaches the schema. */

const durationMs = (from: Date | null, to: Date | null): number | null => (from && to ? to.getTime() - from.getTime() : null);

export function toErrorType(error: RecordedError | null | undefined): ExecutionErrorType | null {
  if (!error) return null;
  const { code, message, retryable, step, details } = error;
  return {
    code: String(code),
    message: String(message),
    retryable: retryable === true,
    step: typeof step === 'string' ? step : null,
    details: details ?? null,
  };
}

/**
 * An instance of the class, not a plain object: type-graphql copies a plain root into a new instance
 * before each field resolver of the type runs (`Execution.workflow`, once per row of a list).
 */
export function toExecutionType(record: ExecutionRecord | ExecutionListRecord): ExecutionType {
  return Object.assign(new ExecutionType(), {
    id: record.id,
    workflowId: record.workflowId,
    workflowVersion: record.workflowVersion,
    status: record.status,
    stored: 'context' in record ? { context: record.context, result: record.result } : undefined,
    error: toErrorType(record.error),
    trigger: { type: record.triggerType, source: record.triggerSource },
    idempotencyKey: record.idempotencyKey,
    parentExecutionId: record.parentExecutionId,
    parentStepKey: record.parentStepKey,
    cancelRequested: record.cancelRequested,
    pauseRequested: record.pauseRequested,
    priority: record.priority,
    concurrency: record.concurrency,
    lastSequence: record.lastEventSeq,
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    completedAt: record.completedAt,
    updatedAt: record.updatedAt,
    durationMs: durationMs(record.startedAt, record.completedAt),
    workflowName: 'workflowName' in record ? record.workflowName : undefined,
  });
}

export function toExecutionConnection(page: Page<ExecutionListRecord>): ExecutionConnectionType {
  return toConnection(page, toExecutionType);
}

/** An edge of a connection: its cursor read through from the page, so one no one asks for is never encoded (paging.ts). */
class Edge<N> {
  constructor(
    private readonly item: { readonly cursor: string },
    readonly node: N,
  ) {}

  get cursor(): string {
    return this.item.cursor;
  }
}

/** A page as a connection: its edges, its nodes and its page info. */
export function toConnection<R, N>(page: Page<R>, toNode: (record: R) => N) {
  const edges = page.items.map((item) => new Edge(item, toNode(item.node)));
  return { edges, nodes: edges.map((edge) => edge.node), pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor } };
}

export function toStepType(record: StepRecord): ExecutionStepType {
  return {
    id: `${record.executionId}:${record.key}`,
    executionId: record.executionId,
    key: record.key,
    name: record.name,
    type: record.type as StepType,
    status: record.status,
    sequence: record.sequence,
    input: redactSecrets(record.input),
    output: redactSecrets(record.output),
    error: toErrorType(record.error),
    attempts: record.attempts,
    startedAt: record.startedAt,
    completedAt: record.completedAt,
    nextAttemptAt: record.nextAttemptAt,
    durationMs: durationMs(record.startedAt, record.completedAt),
    compensation: record.compensation && {
      status: record.compensation.status,
      error: toErrorType(record.compensation.error),
      at: record.compensation.at,
    },
  };
}

export function toEventType(message: ExecutionEventMessage): ExecutionEventType {
  return {
    executionId: message.executionId,
    sequence: message.seq,
    type: message.type,
    stepKey: message.stepKey,
    payload: redactSecrets(message.payload),
    at: new Date(message.at),
  };
}

export function toWorkflowType(record: WorkflowRecord): WorkflowType {
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    version: record.version,
    versionLabel: record.versionLabel,
    definition: record.definition,
    active: record.active,
    tags: record.tags,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/**
 * The workflow of a listed execution as its page read it: its id and name only, for a list that shows
 * no more of it (execution-selection.ts decides; no other field of it is then resolved).
 */
export function toListedWorkflowType(id: string, name: string): WorkflowType {
  return { id, name } as WorkflowType;
}

export function toWorkflowConnection(page: Page<WorkflowRecord>): WorkflowConnectionType {
  return toConnection(page, toWorkflowType);
}

export function toVersionType(record: WorkflowVersionRecord, currentVersion: number): WorkflowVersionType {
  return {
    workflowId: record.workflowId,
    version: record.version,
    label: record.label,
    definition: record.definition,
    current: record.version === currentVersion,
    createdAt: record.createdAt,
  };
}

export function toStatsType(record: WorkflowStatsRecord): WorkflowStatsType {
  return {
    total: record.total,
    successful: record.successful,
    failed: record.failed,
    cancelled: record.cancelled,
    running: record.running,
    queued: record.queued,
    successRate: record.successRate,
    averageDurationMs: record.averageDurationMs,
    p95DurationMs: record.p95DurationMs,
    stepFailures: record.stepFailures.map((failure) => ({ step: failure.step, failures: failure.failures })),
  };
}

function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (depth > 100) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  if (typeof value === 'object') return Object.values(value).every((item) => isJsonValue(item, depth + 1));
  return false;
}

/** A JSON object from a GraphQL argument (the scalars parse JSON; this makes it a typed JsonObject). */
export function toJsonObject(value: unknown, what: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !isJsonValue(value)) {
    throw new AppError('BAD_USER_INPUT', `${what} must be a JSON object`);
  }
  return value as JsonObject;
}
