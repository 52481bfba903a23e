import type { JsonObject } from '../entities/json.js';

/** Pub/sub topics the engine publishes after commit, and the payloads they carry. */
export const TOPICS = {
  workflowChanged: 'workflow.changed',
} as const;

/** Every event of one execution, in sequence order. */
export const executionTopic = (executionId: string) => `execution.${executionId}`;

/** Execution-level events (started, waiting, completed, failed…) of one tenant's runs, for dashboards. */
export const tenantExecutionsTopic = (tenantId: string) => `executions.${tenantId}`;

export const WORKFLOW_CHANGES = ['created', 'versioned', 'deactivated', 'activated'] as const;
export type WorkflowChangeKind = (typeof WORKFLOW_CHANGES)[number];

export interface WorkflowChangedEvent {
  tenantId: string;
  workflowId: string;
  name: string;
  version: number;
  change: WorkflowChangeKind;
  /** ISO-8601 */
  at: string;
}

/** One entry of an execution's event log, as published live. */
export interface ExecutionEventMessage {
  executionId: string;
  tenantId: string;
  seq: number;
  /** `execution.started`, `step.completed`, … */
  type: string;
  stepKey: string | null;
  payload: JsonObject;
  /** ISO-8601 */
  at: string;
}
