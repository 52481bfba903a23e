/** Pub/sub topics the engine publishes after commit, and the payloads they carry. */
export const TOPICS = {
  workflowChanged: 'workflow.changed',
} as const;

export const WORKFLOW_CHANGES = ['created', 'versioned', 'deactivated'] as const;
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
