/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** OPENED (the step asks), DECIDED (a decision that did not close it: fewer than `required` approvals so far), APPROVED, REJECTED, TIMED_OUT. */
export type ApprovalChangeKind =
  | 'APPROVED'
  | 'DECIDED'
  | 'OPENED'
  | 'REJECTED'
  | 'TIMED_OUT';

export type ApprovalDecisionKind =
  | 'APPROVE'
  | 'REJECT';

/** PENDING until enough approvals (APPROVED), a rejection (REJECTED) or the deadline (TIMED_OUT). */
export type ApprovalStatus =
  | 'APPROVED'
  | 'PENDING'
  | 'REJECTED'
  | 'TIMED_OUT';

export type CreateWorkflowInput = {
  /** `{ "steps": [...] }`, validated before anything is saved. */
  definition: Record<string, unknown>;
  description?: string | null | undefined;
  name: string;
  tags?: Array<string> | null | undefined;
  /** A label for this version, as the seeds write it (`"1.0.0"`): kept as `versionLabel`. Executions are pinned to the integer `version`. */
  version?: string | null | undefined;
};

/** SCHEDULED: a slot booked for an order; PROVISIONED: a tenant made for a customer. */
export type DeploymentStatus =
  | 'CANCELLED'
  | 'PROVISIONED'
  | 'SCHEDULED';

/** Every condition given must hold. */
export type DomainEventFilter = {
  /** Exactly this event name. */
  name?: string | null | undefined;
  occurredAfter?: string | null | undefined;
  occurredBefore?: string | null | undefined;
};

/** STARTED: the trigger started an execution. FAILED: it accepted the event but could not start one (see `error`). */
export type EventDeliveryStatus =
  | 'FAILED'
  | 'STARTED';

/** The operator commands: cancelExecution, pauseExecution, resumeExecution, retryExecution (from the failed step), rerunExecution. */
export type ExecutionAction =
  | 'CANCEL'
  | 'PAUSE'
  | 'RERUN'
  | 'RESUME'
  | 'RETRY';

/** Every condition given must hold. */
export type ExecutionFilter = {
  /** JSON containment: runs whose context contains this object, e.g. `{ "customer": { "id": "c-1" } }`. */
  contextMatch?: Record<string, unknown> | null | undefined;
  /** Started at or after (runs not started yet do not match). */
  startedAfter?: string | null | undefined;
  /** Started before. */
  startedBefore?: string | null | undefined;
  /** Any of these statuses. */
  status?: Array<ExecutionStatus> | null | undefined;
  /** Runs one of whose steps created or changed this record. */
  touching?: RecordRef | null | undefined;
  /** Any of these triggers. */
  trigger?: Array<TriggerType> | null | undefined;
  /** A workflow's name. */
  workflow?: string | null | undefined;
};

/** QUEUED (held back by a concurrency limit, holding no worker, until a slot frees), PENDING, RUNNING, WAITING (parked on a timer, an event, an approval or a sub-workflow) and PAUSED go on; COMPLETED, FAILED and CANCELLED are final. All but QUEUED and the final ones hold a concurrency slot. */
export type ExecutionStatus =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'FAILED'
  | 'PAUSED'
  | 'PENDING'
  | 'QUEUED'
  | 'RUNNING'
  | 'WAITING';

export type ExecutionsChangedFilter = {
  /** One run's changes: a finished run's page hears of a retry or rerun made elsewhere (then follows executionProgress). */
  executionId?: string | number | null | undefined;
  /** Changes that leave a run in any of these statuses. */
  status?: Array<ExecutionStatus> | null | undefined;
  /** A workflow's name. */
  workflow?: string | null | undefined;
};

/** CREATED the record, or UPDATED it (or a part of it: an allocation’s address, a ticket’s appointment, a quote’s lines, a partner’s seats or commissions). */
export type LineageAction =
  | 'CREATED'
  | 'UPDATED';

/** UNREACHABLE_STEP (a constant when or condition rules it out), OUTPUT_NEVER_USED (a transform or read whose output nothing reads, given a workflow output), EXTERNAL_CALL_WITHOUT_RETRY, WAIT_WITHOUT_TIMEOUT (an event wait or approval that may wait for ever); from the dry run itself: INVALID_PARAMS (a service call’s resolved params its method refuses: the step fails VALIDATION, as in a run), MOCK_OUTPUT_MISMATCH (a mocked answer without what the method declares it answers). */
export type LintCode =
  | 'EXTERNAL_CALL_WITHOUT_RETRY'
  | 'INVALID_PARAMS'
  | 'MOCK_OUTPUT_MISMATCH'
  | 'OUTPUT_NEVER_USED'
  | 'UNREACHABLE_STEP'
  | 'WAIT_WITHOUT_TIMEOUT';

/** What a viewer may do; `WORKFLOW_VIEW` is `workflow:view`. */
export type Permission =
  | 'APIKEY_MANAGE'
  | 'AUDIT_VIEW'
  | 'CATALOG_MANAGE'
  | 'CRM_MANAGE'
  | 'CRM_VIEW'
  | 'EVENT_PUBLISH'
  | 'EXECUTION_CANCEL'
  | 'EXECUTION_PAUSE'
  | 'EXECUTION_RETRY'
  | 'EXECUTION_VIEW'
  | 'SCHEDULE_MANAGE'
  | 'USER_MANAGE'
  | 'WORKFLOW_CREATE'
  | 'WORKFLOW_DELETE'
  | 'WORKFLOW_EXECUTE'
  | 'WORKFLOW_VIEW';

/** A domain record: its type and id (an allocation’s serviceId). */
export type RecordRef = {
  id: string | number;
  type: RecordType;
};

/** The domain records whose lineage is kept. ALLOCATION is a service instance with its address and VLAN (the Allocation’s serviceId); a QUOTE includes its lines, a PARTNER its seat pool and the commissions it is owed. */
export type RecordType =
  | 'ALLOCATION'
  | 'CUSTOMER'
  | 'DEPLOYMENT'
  | 'INVOICE'
  | 'LEAD'
  | 'LICENSE'
  | 'ORDER'
  | 'PARTNER'
  | 'PAYMENT'
  | 'PAYMENT_INTENT'
  | 'QUOTE'
  | 'SUBSCRIPTION'
  | 'TICKET';

/** Ticks that passed while no scheduler ran: SKIP them, or run ONCE for all of them. */
export type ScheduleCatchUp =
  | 'ONCE'
  | 'SKIP';

/** When the schedule's previous run is still going at a tick: ALLOW another, or SKIP the tick. */
export type ScheduleOverlap =
  | 'ALLOW'
  | 'SKIP';

/** STARTED an execution; SKIPPED (the previous run was still going); MISSED (passed while no scheduler ran); FAILED to start. */
export type ScheduleRunStatus =
  | 'FAILED'
  | 'MISSED'
  | 'SKIPPED'
  | 'STARTED';

/** WHEN: the step's `when` guard (false: the step was skipped). CONDITION: a condition step's expression, which picked its branch. */
export type StepDecisionKind =
  | 'CONDITION'
  | 'WHEN';

/** What running a step does beyond the run’s own record. */
export type StepEffect =
  /** Asks people to decide (again). */
  | 'APPROVAL'
  /** Rows in Switchyard's database, committed with the step's checkpoint. */
  | 'DATABASE'
  /** Calls a system outside the database (Kubernetes, GenieACS, Stripe, NetBox…). */
  | 'EXTERNAL'
  /** Nothing outside the run (transform, condition, wait, parallel, a read). */
  | 'NONE'
  /** Starts a child run, with whatever effects it has. */
  | 'SUB_WORKFLOW';

/** What a retry or rerun does with a step. */
export type StepFate =
  /** Recorded as skipped (or, on a retry, failed and not critical) and left so. */
  | 'KEEP'
  /** Completed: its recorded output is reused; it does not run. */
  | 'REPLAY'
  /** A retry: recorded as running or pending and not reset; looked at again where it was. */
  | 'RESUME'
  /** Never recorded: it runs for the first time when the run reaches it. */
  | 'RUN'
  /** Recorded, and forgotten: it runs again when the run reaches it. */
  | 'RUN_AGAIN';

/** A step waiting for a retry is PENDING (see `nextAttemptAt`). */
export type StepStatus =
  | 'COMPLETED'
  | 'FAILED'
  | 'PENDING'
  | 'RUNNING'
  | 'SKIPPED';

export type StepType =
  | 'APPROVAL'
  | 'CONDITION'
  | 'PARALLEL'
  | 'SERVICE_CALL'
  | 'SUB_WORKFLOW'
  | 'TRANSFORM'
  | 'WAIT';

/** An installation request is OPEN until approved (IN_PROGRESS); the installation the workflow books is SCHEDULED. */
export type TicketStatus =
  | 'CLOSED'
  | 'IN_PROGRESS'
  | 'OPEN'
  | 'RESOLVED'
  | 'SCHEDULED';

/** What started an execution. */
export type TriggerType =
  | 'API'
  | 'EVENT'
  | 'RERUN'
  | 'SCHEDULE'
  | 'SUB_WORKFLOW';

export type UpdateWorkflowInput = {
  /** A changed definition becomes a new version; the same one changes only description and tags. */
  definition: Record<string, unknown>;
  /** Left out: unchanged. */
  description?: string | null | undefined;
  /** The workflow to give a new version. */
  name: string;
  /** Left out: unchanged. */
  tags?: Array<string> | null | undefined;
  /** A label for the version this saves (`"1.1.0"`); with the same definition it relabels the current version. Left out: a new version has none. */
  version?: string | null | undefined;
};

/** A user's role: the permissions it grants within the user's tenant. */
export type UserRole =
  | 'ADMIN'
  | 'OPERATOR'
  | 'PARTNER'
  | 'VIEWER';

export type ViewerKind =
  | 'API_KEY'
  | 'USER';

/** What happened to a workflow. */
export type WorkflowChange =
  | 'ACTIVATED'
  | 'CREATED'
  | 'DEACTIVATED'
  | 'VERSIONED';

/** Every condition given must hold. */
export type WorkflowFilter = {
  active?: boolean | null | undefined;
  /** Case-insensitive part of the name. */
  nameContains?: string | null | undefined;
  /** Workflows carrying every one of these tags. */
  tags?: Array<string> | null | undefined;
};

export type ApprovalFragment = { executionId: string, step: string, prompt: string, data: unknown, required: number, approvals: number, status: ApprovalStatus, expiresAt: string | null, openedAt: string, decidedAt: string | null, youMayDecide: boolean, approvers: { roles: Array<UserRole>, permission: string | null, users: Array<string> }, decisions: Array<{ by: string, userId: string, decision: ApprovalDecisionKind, comment: string | null, at: string }> };

export type PendingApprovalsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type PendingApprovalsQuery = { pendingApprovals: { nodes: Array<{ executionId: string, step: string, prompt: string, data: unknown, required: number, approvals: number, status: ApprovalStatus, expiresAt: string | null, openedAt: string, decidedAt: string | null, youMayDecide: boolean, execution: { id: string, status: ExecutionStatus, workflowVersion: number, workflow: { id: string, name: string } }, approvers: { roles: Array<UserRole>, permission: string | null, users: Array<string> }, decisions: Array<{ by: string, userId: string, decision: ApprovalDecisionKind, comment: string | null, at: string }> }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type RunApprovalsQueryVariables = Exact<{
  id: string | number;
}>;


export type RunApprovalsQuery = { execution: { id: string, approvals: Array<{ executionId: string, step: string, prompt: string, data: unknown, required: number, approvals: number, status: ApprovalStatus, expiresAt: string | null, openedAt: string, decidedAt: string | null, youMayDecide: boolean, approvers: { roles: Array<UserRole>, permission: string | null, users: Array<string> }, decisions: Array<{ by: string, userId: string, decision: ApprovalDecisionKind, comment: string | null, at: string }> }> } };

export type ApproveStepMutationVariables = Exact<{
  executionId: string | number;
  step: string;
  comment?: string | null | undefined;
}>;


export type ApproveStepMutation = { approveStep: { executionId: string, step: string, prompt: string, data: unknown, required: number, approvals: number, status: ApprovalStatus, expiresAt: string | null, openedAt: string, decidedAt: string | null, youMayDecide: boolean, approvers: { roles: Array<UserRole>, permission: string | null, users: Array<string> }, decisions: Array<{ by: string, userId: string, decision: ApprovalDecisionKind, comment: string | null, at: string }> } };

export type RejectStepMutationVariables = Exact<{
  executionId: string | number;
  step: string;
  comment?: string | null | undefined;
}>;


export type RejectStepMutation = { rejectStep: { executionId: string, step: string, prompt: string, data: unknown, required: number, approvals: number, status: ApprovalStatus, expiresAt: string | null, openedAt: string, decidedAt: string | null, youMayDecide: boolean, approvers: { roles: Array<UserRole>, permission: string | null, users: Array<string> }, decisions: Array<{ by: string, userId: string, decision: ApprovalDecisionKind, comment: string | null, at: string }> } };

export type ApprovalsChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ApprovalsChangedSubscription = { approvalsChanged: { change: ApprovalChangeKind, executionId: string, step: string, approval: { executionId: string, step: string, prompt: string, data: unknown, required: number, approvals: number, status: ApprovalStatus, expiresAt: string | null, openedAt: string, decidedAt: string | null, youMayDecide: boolean, approvers: { roles: Array<UserRole>, permission: string | null, users: Array<string> }, decisions: Array<{ by: string, userId: string, decision: ApprovalDecisionKind, comment: string | null, at: string }> } } };

export type ViewerFieldsFragment = { id: string, kind: ViewerKind, name: string, role: UserRole | null, permissions: Array<Permission>, expiresAt: string | null, tenant: { id: string, name: string, slug: string } };

export type LoginMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type LoginMutation = { login: { token: string, expiresAt: string, viewer: { id: string, kind: ViewerKind, name: string, role: UserRole | null, permissions: Array<Permission>, expiresAt: string | null, tenant: { id: string, name: string, slug: string } } } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, kind: ViewerKind, name: string, role: UserRole | null, permissions: Array<Permission>, expiresAt: string | null, tenant: { id: string, name: string, slug: string } } };

export type AcceptInvitationMutationVariables = Exact<{
  token: string;
  password: string;
}>;


export type AcceptInvitationMutation = { acceptInvitation: { id: string, email: string } };

export type ResetPasswordMutationVariables = Exact<{
  token: string;
  password: string;
}>;


export type ResetPasswordMutation = { resetPassword: boolean };

export type RequestPasswordResetMutationVariables = Exact<{
  email: string;
}>;


export type RequestPasswordResetMutation = { requestPasswordReset: boolean };

export type WorkflowSourceQueryVariables = Exact<{
  name: string;
}>;


export type WorkflowSourceQuery = { workflow: { id: string, name: string, version: number, definition: Record<string, unknown> } };

export type ValidateDefinitionMutationVariables = Exact<{
  name: string;
  definition: unknown;
}>;


export type ValidateDefinitionMutation = { validateWorkflowDefinition: { valid: boolean, issues: Array<{ path: string, message: string }> } };

export type CreateWorkflowFromEditorMutationVariables = Exact<{
  input: CreateWorkflowInput;
}>;


export type CreateWorkflowFromEditorMutation = { createWorkflow: { id: string, name: string, version: number } };

export type SaveWorkflowVersionMutationVariables = Exact<{
  input: UpdateWorkflowInput;
}>;


export type SaveWorkflowVersionMutation = { updateWorkflow: { id: string, name: string, version: number } };

export type SimulateDefinitionQueryVariables = Exact<{
  definition: Record<string, unknown>;
  context?: Record<string, unknown> | null | undefined;
  mocks?: Record<string, unknown> | null | undefined;
}>;


export type SimulateDefinitionQuery = { simulateWorkflow: { valid: boolean, status: ExecutionStatus | null, path: Array<string>, compensated: Array<string>, result: unknown, issues: Array<{ path: string, message: string }>, steps: Array<{ step: string, type: StepType, status: StepStatus, output: unknown, error: { code: string, message: string } | null, resolvedParameters: Array<{ path: string, template: string, value: unknown }>, decisions: Array<{ kind: StepDecisionKind, expression: string, value: unknown, result: boolean, branch: string | null }>, call: { step: string, call: string, mocked: boolean } | null }>, unmockedCalls: Array<{ step: string, call: string }>, error: { code: string, message: string, step: string | null } | null, diagnostics: Array<{ code: LintCode, step: string, message: string }> } };

export type EventDeliveryRowFragment = { workflow: string, status: EventDeliveryStatus, executionId: string | null, deliveredAt: string, error: Record<string, unknown> | null };

export type EventsQueryVariables = Exact<{
  filter?: DomainEventFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type EventsQuery = { events: { endCursor: string | null, hasNextPage: boolean, nodes: Array<{ id: string, name: string, occurredAt: string, dispatchedAt: string | null, source: string | null, deliveries: Array<{ workflow: string, status: EventDeliveryStatus, executionId: string | null, deliveredAt: string, error: Record<string, unknown> | null }> }> } };

export type EventQueryVariables = Exact<{
  id: string | number;
}>;


export type EventQuery = { event: { id: string, name: string, occurredAt: string, dispatchedAt: string | null, source: string | null, payload: Record<string, unknown>, deliveries: Array<{ workflow: string, status: EventDeliveryStatus, executionId: string | null, deliveredAt: string, error: Record<string, unknown> | null }>, executions: Array<{ id: string, status: ExecutionStatus, createdAt: string, workflow: { id: string, name: string } }>, resumedExecutions: Array<{ id: string, status: ExecutionStatus, createdAt: string, workflow: { id: string, name: string } }> } };

export type ExecutionRowFragment = { id: string, status: ExecutionStatus, createdAt: string, startedAt: string | null, completedAt: string | null, durationMs: number | null, workflowVersion: number, workflow: { id: string, name: string }, trigger: { type: TriggerType, source: string | null }, error: { code: string, message: string } | null };

export type ExecutionsQueryVariables = Exact<{
  filter?: ExecutionFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type ExecutionsQuery = { executions: { nodes: Array<{ id: string, status: ExecutionStatus, createdAt: string, startedAt: string | null, completedAt: string | null, durationMs: number | null, workflowVersion: number, workflow: { id: string, name: string }, trigger: { type: TriggerType, source: string | null }, error: { code: string, message: string } | null }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type ExecutionsChangedSubscriptionVariables = Exact<{
  filter?: ExecutionsChangedFilter | null | undefined;
}>;


export type ExecutionsChangedSubscription = { executionsChanged: { executionId: string, type: string, status: ExecutionStatus, sequence: number, execution: { id: string, status: ExecutionStatus, createdAt: string, startedAt: string | null, completedAt: string | null, durationMs: number | null, workflowVersion: number, workflow: { id: string, name: string }, trigger: { type: TriggerType, source: string | null }, error: { code: string, message: string } | null } } };

export type WorkflowNamesQueryVariables = Exact<{ [key: string]: never; }>;


export type WorkflowNamesQuery = { workflows: { nodes: Array<{ id: string, name: string }> } };

export type LineageRunFragment = { id: string, status: ExecutionStatus, workflow: { id: string, name: string } };

export type RecordOriginLinkFragment = { step: string, at: string, execution: { id: string, workflow: { id: string, name: string } } };

export type RunRecordsQueryVariables = Exact<{
  id: string | number;
}>;


export type RunRecordsQuery = { execution: { id: string, touchedRecords: Array<{ type: RecordType, id: string, step: string, action: LineageAction, at: string }> } };

export type RecordLineageQueryVariables = Exact<{
  ref: RecordRef;
  first: number;
}>;


export type RecordLineageQuery = { executions: { nodes: Array<{ id: string, status: ExecutionStatus, touchedRecords: Array<{ type: RecordType, id: string, step: string, action: LineageAction, at: string }>, workflow: { id: string, name: string } }>, pageInfo: { hasNextPage: boolean } } };

export type CustomerRecordQueryVariables = Exact<{
  id: string | number;
}>;


export type CustomerRecordQuery = { customer: { id: string, name: string, email: string, company: string | null, status: string, createdAt: string, createdBy: { step: string, at: string, execution: { id: string, workflow: { id: string, name: string } } } | null, touchedBy: Array<{ step: string, action: LineageAction, at: string, execution: { id: string, status: ExecutionStatus, workflow: { id: string, name: string } } }> }, subscriptions: Array<{ id: string, planCode: string, status: string, createdBy: { step: string, at: string, execution: { id: string, workflow: { id: string, name: string } } } | null }>, licenses: Array<{ id: string, seats: number, status: string, createdBy: { step: string, at: string, execution: { id: string, workflow: { id: string, name: string } } } | null }>, deployments: Array<{ id: string, type: string | null, status: DeploymentStatus, createdBy: { step: string, at: string, execution: { id: string, workflow: { id: string, name: string } } } | null }>, allocations: Array<{ serviceId: string, ipAddress: string, serviceStatus: string, createdBy: { step: string, at: string, execution: { id: string, workflow: { id: string, name: string } } } | null }>, orders: Array<{ id: string, number: string, status: string, createdBy: { step: string, at: string, execution: { id: string, workflow: { id: string, name: string } } } | null }>, tickets: Array<{ id: string, number: number, title: string, status: TicketStatus, createdBy: { step: string, at: string, execution: { id: string, workflow: { id: string, name: string } } } | null }> };

export type RunStepFragment = { id: string, key: string, name: string, type: StepType, status: StepStatus, attempts: number, sequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, nextAttemptAt: string | null, input: unknown, output: unknown, error: { code: string, message: string, retryable: boolean, details: unknown } | null, compensation: { status: string, at: string | null, error: { code: string, message: string, retryable: boolean } | null } | null };

export type RunSummaryFragment = { id: string, status: ExecutionStatus, cancelRequested: boolean, pauseRequested: boolean, lastSequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, availableActions: Array<{ action: ExecutionAction, allowed: boolean, reason: string | null, code: string | null }>, error: { code: string, message: string, retryable: boolean, step: string | null } | null };

export type RunStateFragment = { id: string, status: ExecutionStatus, cancelRequested: boolean, pauseRequested: boolean, lastSequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, steps: Array<{ id: string, key: string, name: string, type: StepType, status: StepStatus, attempts: number, sequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, nextAttemptAt: string | null, input: unknown, output: unknown, error: { code: string, message: string, retryable: boolean, details: unknown } | null, compensation: { status: string, at: string | null, error: { code: string, message: string, retryable: boolean } | null } | null }>, availableActions: Array<{ action: ExecutionAction, allowed: boolean, reason: string | null, code: string | null }>, error: { code: string, message: string, retryable: boolean, step: string | null } | null };

export type RunEventFragment = { executionId: string, sequence: number, type: string, stepKey: string | null, at: string, payload: Record<string, unknown> };

export type RunQueryVariables = Exact<{
  id: string | number;
}>;


export type RunQuery = { execution: { createdAt: string, context: Record<string, unknown>, workflowVersion: number, parentExecutionId: string | null, priority: number, definition: Record<string, unknown>, id: string, status: ExecutionStatus, cancelRequested: boolean, pauseRequested: boolean, lastSequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, concurrency: { limit: number, key: string | null } | null, trigger: { type: TriggerType, source: string | null }, triggerEvent: { id: string, name: string } | null, workflow: { id: string, name: string }, steps: Array<{ id: string, key: string, name: string, type: StepType, status: StepStatus, attempts: number, sequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, nextAttemptAt: string | null, input: unknown, output: unknown, error: { code: string, message: string, retryable: boolean, details: unknown } | null, compensation: { status: string, at: string | null, error: { code: string, message: string, retryable: boolean } | null } | null }>, availableActions: Array<{ action: ExecutionAction, allowed: boolean, reason: string | null, code: string | null }>, error: { code: string, message: string, retryable: boolean, step: string | null } | null } };

export type RunStatusQueryVariables = Exact<{
  id: string | number;
}>;


export type RunStatusQuery = { execution: { id: string, status: ExecutionStatus, cancelRequested: boolean, pauseRequested: boolean, lastSequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, steps: Array<{ id: string, key: string, name: string, type: StepType, status: StepStatus, attempts: number, sequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, nextAttemptAt: string | null, input: unknown, output: unknown, error: { code: string, message: string, retryable: boolean, details: unknown } | null, compensation: { status: string, at: string | null, error: { code: string, message: string, retryable: boolean } | null } | null }>, availableActions: Array<{ action: ExecutionAction, allowed: boolean, reason: string | null, code: string | null }>, error: { code: string, message: string, retryable: boolean, step: string | null } | null } };

export type RunEventsQueryVariables = Exact<{
  id: string | number;
  after: number;
  first: number;
}>;


export type RunEventsQuery = { execution: { id: string, events: { hasNextPage: boolean, nodes: Array<{ executionId: string, sequence: number, type: string, stepKey: string | null, at: string, payload: Record<string, unknown> }> } } };

export type RunProgressSubscriptionVariables = Exact<{
  executionId: string | number;
  afterSequence: number;
}>;


export type RunProgressSubscription = { executionProgress: { executionId: string, sequence: number, type: string, stepKey: string | null, at: string, payload: Record<string, unknown>, step: { id: string, key: string, name: string, type: StepType, status: StepStatus, attempts: number, sequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, nextAttemptAt: string | null, input: unknown, output: unknown, error: { code: string, message: string, retryable: boolean, details: unknown } | null, compensation: { status: string, at: string | null, error: { code: string, message: string, retryable: boolean } | null } | null } | null, execution: { id: string, status: ExecutionStatus, cancelRequested: boolean, pauseRequested: boolean, lastSequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, availableActions: Array<{ action: ExecutionAction, allowed: boolean, reason: string | null, code: string | null }>, error: { code: string, message: string, retryable: boolean, step: string | null } | null } } };

export type CancelRunMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelRunMutation = { cancelExecution: { id: string, status: ExecutionStatus, cancelRequested: boolean, pauseRequested: boolean, lastSequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, steps: Array<{ id: string, key: string, name: string, type: StepType, status: StepStatus, attempts: number, sequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, nextAttemptAt: string | null, input: unknown, output: unknown, error: { code: string, message: string, retryable: boolean, details: unknown } | null, compensation: { status: string, at: string | null, error: { code: string, message: string, retryable: boolean } | null } | null }>, availableActions: Array<{ action: ExecutionAction, allowed: boolean, reason: string | null, code: string | null }>, error: { code: string, message: string, retryable: boolean, step: string | null } | null } };

export type PauseRunMutationVariables = Exact<{
  id: string | number;
}>;


export type PauseRunMutation = { pauseExecution: { id: string, status: ExecutionStatus, cancelRequested: boolean, pauseRequested: boolean, lastSequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, steps: Array<{ id: string, key: string, name: string, type: StepType, status: StepStatus, attempts: number, sequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, nextAttemptAt: string | null, input: unknown, output: unknown, error: { code: string, message: string, retryable: boolean, details: unknown } | null, compensation: { status: string, at: string | null, error: { code: string, message: string, retryable: boolean } | null } | null }>, availableActions: Array<{ action: ExecutionAction, allowed: boolean, reason: string | null, code: string | null }>, error: { code: string, message: string, retryable: boolean, step: string | null } | null } };

export type ResumeRunMutationVariables = Exact<{
  id: string | number;
}>;


export type ResumeRunMutation = { resumeExecution: { id: string, status: ExecutionStatus, cancelRequested: boolean, pauseRequested: boolean, lastSequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, steps: Array<{ id: string, key: string, name: string, type: StepType, status: StepStatus, attempts: number, sequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, nextAttemptAt: string | null, input: unknown, output: unknown, error: { code: string, message: string, retryable: boolean, details: unknown } | null, compensation: { status: string, at: string | null, error: { code: string, message: string, retryable: boolean } | null } | null }>, availableActions: Array<{ action: ExecutionAction, allowed: boolean, reason: string | null, code: string | null }>, error: { code: string, message: string, retryable: boolean, step: string | null } | null } };

export type RetryRunMutationVariables = Exact<{
  id: string | number;
}>;


export type RetryRunMutation = { retryExecution: { id: string, status: ExecutionStatus, cancelRequested: boolean, pauseRequested: boolean, lastSequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, steps: Array<{ id: string, key: string, name: string, type: StepType, status: StepStatus, attempts: number, sequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, nextAttemptAt: string | null, input: unknown, output: unknown, error: { code: string, message: string, retryable: boolean, details: unknown } | null, compensation: { status: string, at: string | null, error: { code: string, message: string, retryable: boolean } | null } | null }>, availableActions: Array<{ action: ExecutionAction, allowed: boolean, reason: string | null, code: string | null }>, error: { code: string, message: string, retryable: boolean, step: string | null } | null } };

export type RerunRunMutationVariables = Exact<{
  id: string | number;
  fromStep: string;
  context?: Record<string, unknown> | null | undefined;
}>;


export type RerunRunMutation = { rerunExecution: { id: string, status: ExecutionStatus } };

export type PreviewFieldsFragment = { executionId: string, action: ExecutionAction, fromStep: string, reset: Array<string>, replayed: Array<string>, runAgain: Array<string>, redone: Array<string>, externalEffects: Array<{ step: string, service: string | null, effect: StepEffect }>, steps: Array<{ step: string, type: StepType, recordedStatus: StepStatus | null, fate: StepFate, compensated: boolean, effect: StepEffect, service: string | null }> };

export type RetryPreviewQueryVariables = Exact<{
  id: string | number;
}>;


export type RetryPreviewQuery = { previewRetry: { executionId: string, action: ExecutionAction, fromStep: string, reset: Array<string>, replayed: Array<string>, runAgain: Array<string>, redone: Array<string>, externalEffects: Array<{ step: string, service: string | null, effect: StepEffect }>, steps: Array<{ step: string, type: StepType, recordedStatus: StepStatus | null, fate: StepFate, compensated: boolean, effect: StepEffect, service: string | null }> } };

export type RerunPreviewQueryVariables = Exact<{
  id: string | number;
  fromStep: string;
  context?: Record<string, unknown> | null | undefined;
}>;


export type RerunPreviewQuery = { previewRerun: { executionId: string, action: ExecutionAction, fromStep: string, reset: Array<string>, replayed: Array<string>, runAgain: Array<string>, redone: Array<string>, externalEffects: Array<{ step: string, service: string | null, effect: StepEffect }>, steps: Array<{ step: string, type: StepType, recordedStatus: StepStatus | null, fate: StepFate, compensated: boolean, effect: StepEffect, service: string | null }> } };

export type StepDecisionFieldsFragment = { kind: StepDecisionKind, expression: string, value: unknown, result: boolean, branch: string | null };

export type ResolvedParameterFieldsFragment = { path: string, template: string, value: unknown };

export type RunStepWhyQueryVariables = Exact<{
  id: string | number;
  key: string;
}>;


export type RunStepWhyQuery = { execution: { id: string, step: { id: string, key: string, decisions: Array<{ kind: StepDecisionKind, expression: string, value: unknown, result: boolean, branch: string | null }>, resolvedParameters: Array<{ path: string, template: string, value: unknown }> } | null } };

export type RunChangedSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type RunChangedSubscription = { executionsChanged: { executionId: string, sequence: number, execution: { id: string, status: ExecutionStatus, cancelRequested: boolean, pauseRequested: boolean, lastSequence: number, startedAt: string | null, completedAt: string | null, durationMs: number | null, availableActions: Array<{ action: ExecutionAction, allowed: boolean, reason: string | null, code: string | null }>, error: { code: string, message: string, retryable: boolean, step: string | null } | null } } };

export type ScheduleRowFragment = { id: string, name: string, workflow: string, cron: string, timezone: string, paused: boolean, overlap: ScheduleOverlap, catchUp: ScheduleCatchUp, priority: number, lastFiredAt: string | null, lastExecutionId: string | null, nextFireTimes: Array<string> };

export type WorkflowPageQueryVariables = Exact<{
  name: string;
}>;


export type WorkflowPageQuery = { workflow: { id: string, name: string, version: number, versionLabel: string | null, description: string, tags: Array<string>, active: boolean, updatedAt: string, definition: Record<string, unknown>, versions: Array<{ version: number, label: string | null, current: boolean, createdAt: string, definition: Record<string, unknown> }>, stats: { total: number, successful: number, failed: number, cancelled: number, running: number, queued: number, successRate: number | null, averageDurationMs: number | null, p95DurationMs: number | null, stepFailures: Array<{ step: string, failures: number }> } } };

export type WorkflowStatsFieldsFragment = { total: number, successful: number, failed: number, cancelled: number, running: number, queued: number, successRate: number | null, averageDurationMs: number | null, p95DurationMs: number | null, stepFailures: Array<{ step: string, failures: number }> };

export type WorkflowStatsLiveSubscriptionVariables = Exact<{
  workflow: string;
}>;


export type WorkflowStatsLiveSubscription = { workflowStatsChanged: { total: number, successful: number, failed: number, cancelled: number, running: number, queued: number, successRate: number | null, averageDurationMs: number | null, p95DurationMs: number | null, stepFailures: Array<{ step: string, failures: number }> } };

export type WorkflowSchedulesQueryVariables = Exact<{
  workflow: string;
}>;


export type WorkflowSchedulesQuery = { schedules: Array<{ id: string, name: string, workflow: string, cron: string, timezone: string, paused: boolean, overlap: ScheduleOverlap, catchUp: ScheduleCatchUp, priority: number, lastFiredAt: string | null, lastExecutionId: string | null, nextFireTimes: Array<string> }> };

export type PauseScheduleMutationVariables = Exact<{
  workflow: string;
  name: string;
}>;


export type PauseScheduleMutation = { pauseSchedule: { id: string, name: string, workflow: string, cron: string, timezone: string, paused: boolean, overlap: ScheduleOverlap, catchUp: ScheduleCatchUp, priority: number, lastFiredAt: string | null, lastExecutionId: string | null, nextFireTimes: Array<string> } };

export type ResumeScheduleMutationVariables = Exact<{
  workflow: string;
  name: string;
}>;


export type ResumeScheduleMutation = { resumeSchedule: { id: string, name: string, workflow: string, cron: string, timezone: string, paused: boolean, overlap: ScheduleOverlap, catchUp: ScheduleCatchUp, priority: number, lastFiredAt: string | null, lastExecutionId: string | null, nextFireTimes: Array<string> } };

export type StartRunMutationVariables = Exact<{
  name: string;
  context?: Record<string, unknown> | null | undefined;
  idempotencyKey?: string | null | undefined;
  priority?: number | null | undefined;
}>;


export type StartRunMutation = { executeWorkflow: { created: boolean, execution: { id: string, status: ExecutionStatus } } };

export type AllSchedulesQueryVariables = Exact<{ [key: string]: never; }>;


export type AllSchedulesQuery = { schedules: Array<{ id: string, name: string, workflow: string, cron: string, timezone: string, paused: boolean, overlap: ScheduleOverlap, catchUp: ScheduleCatchUp, priority: number, lastFiredAt: string | null, lastExecutionId: string | null, nextFireTimes: Array<string>, runs: Array<{ tickAt: string, at: string, status: ScheduleRunStatus, ticks: number, executionId: string | null, error: Record<string, unknown> | null }> }> };

export type WorkflowRowFragment = { id: string, name: string, version: number, versionLabel: string | null, description: string, tags: Array<string>, active: boolean, stats: { total: number, successful: number, failed: number, cancelled: number, running: number, successRate: number | null, p95DurationMs: number | null } };

export type WorkflowsQueryVariables = Exact<{
  filter?: WorkflowFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
  since?: string | null | undefined;
}>;


export type WorkflowsQuery = { workflows: { nodes: Array<{ id: string, name: string, version: number, versionLabel: string | null, description: string, tags: Array<string>, active: boolean, stats: { total: number, successful: number, failed: number, cancelled: number, running: number, successRate: number | null, p95DurationMs: number | null } }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type WorkflowsChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type WorkflowsChangedSubscription = { workflowChanged: { workflowId: string, change: WorkflowChange, version: number } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ApprovalFragmentDoc = new TypedDocumentString(`
    fragment Approval on ApprovalRequest {
  executionId
  step
  prompt
  data
  required
  approvals
  status
  expiresAt
  openedAt
  decidedAt
  youMayDecide
  approvers {
    roles
    permission
    users
  }
  decisions {
    by
    userId
    decision
    comment
    at
  }
}
    `, {"fragmentName":"Approval"}) as unknown as TypedDocumentString<ApprovalFragment, unknown>;
export const ViewerFieldsFragmentDoc = new TypedDocumentString(`
    fragment ViewerFields on Viewer {
  id
  kind
  name
  role
  permissions
  expiresAt
  tenant {
    id
    name
    slug
  }
}
    `, {"fragmentName":"ViewerFields"}) as unknown as TypedDocumentString<ViewerFieldsFragment, unknown>;
export const EventDeliveryRowFragmentDoc = new TypedDocumentString(`
    fragment EventDeliveryRow on EventDelivery {
  workflow
  status
  executionId
  deliveredAt
  error
}
    `, {"fragmentName":"EventDeliveryRow"}) as unknown as TypedDocumentString<EventDeliveryRowFragment, unknown>;
export const ExecutionRowFragmentDoc = new TypedDocumentString(`
    fragment ExecutionRow on Execution {
  id
  status
  createdAt
  startedAt
  completedAt
  durationMs
  workflowVersion
  workflow {
    id
    name
  }
  trigger {
    type
    source
  }
  error {
    code
    message
  }
}
    `, {"fragmentName":"ExecutionRow"}) as unknown as TypedDocumentString<ExecutionRowFragment, unknown>;
export const LineageRunFragmentDoc = new TypedDocumentString(`
    fragment LineageRun on Execution {
  id
  status
  workflow {
    id
    name
  }
}
    `, {"fragmentName":"LineageRun"}) as unknown as TypedDocumentString<LineageRunFragment, unknown>;
export const RecordOriginLinkFragmentDoc = new TypedDocumentString(`
    fragment RecordOriginLink on RecordOrigin {
  step
  at
  execution {
    id
    workflow {
      id
      name
    }
  }
}
    `, {"fragmentName":"RecordOriginLink"}) as unknown as TypedDocumentString<RecordOriginLinkFragment, unknown>;
export const RunSummaryFragmentDoc = new TypedDocumentString(`
    fragment RunSummary on Execution {
  id
  status
  cancelRequested
  pauseRequested
  lastSequence
  availableActions {
    action
    allowed
    reason
    code
  }
  startedAt
  completedAt
  durationMs
  error {
    code
    message
    retryable
    step
  }
}
    `, {"fragmentName":"RunSummary"}) as unknown as TypedDocumentString<RunSummaryFragment, unknown>;
export const RunStepFragmentDoc = new TypedDocumentString(`
    fragment RunStep on ExecutionStep {
  id
  key
  name
  type
  status
  attempts
  sequence
  startedAt
  completedAt
  durationMs
  nextAttemptAt
  input
  output
  error {
    code
    message
    retryable
    details
  }
  compensation {
    status
    at
    error {
      code
      message
      retryable
    }
  }
}
    `, {"fragmentName":"RunStep"}) as unknown as TypedDocumentString<RunStepFragment, unknown>;
export const RunStateFragmentDoc = new TypedDocumentString(`
    fragment RunState on Execution {
  ...RunSummary
  steps {
    ...RunStep
  }
}
    fragment RunStep on ExecutionStep {
  id
  key
  name
  type
  status
  attempts
  sequence
  startedAt
  completedAt
  durationMs
  nextAttemptAt
  input
  output
  error {
    code
    message
    retryable
    details
  }
  compensation {
    status
    at
    error {
      code
      message
      retryable
    }
  }
}
fragment RunSummary on Execution {
  id
  status
  cancelRequested
  pauseRequested
  lastSequence
  availableActions {
    action
    allowed
    reason
    code
  }
  startedAt
  completedAt
  durationMs
  error {
    code
    message
    retryable
    step
  }
}`, {"fragmentName":"RunState"}) as unknown as TypedDocumentString<RunStateFragment, unknown>;
export const RunEventFragmentDoc = new TypedDocumentString(`
    fragment RunEvent on ExecutionEvent {
  executionId
  sequence
  type
  stepKey
  at
  payload
}
    `, {"fragmentName":"RunEvent"}) as unknown as TypedDocumentString<RunEventFragment, unknown>;
export const PreviewFieldsFragmentDoc = new TypedDocumentString(`
    fragment PreviewFields on ExecutionPreview {
  executionId
  action
  fromStep
  reset
  replayed
  runAgain
  redone
  externalEffects {
    step
    service
    effect
  }
  steps {
    step
    type
    recordedStatus
    fate
    compensated
    effect
    service
  }
}
    `, {"fragmentName":"PreviewFields"}) as unknown as TypedDocumentString<PreviewFieldsFragment, unknown>;
export const StepDecisionFieldsFragmentDoc = new TypedDocumentString(`
    fragment StepDecisionFields on StepDecision {
  kind
  expression
  value
  result
  branch
}
    `, {"fragmentName":"StepDecisionFields"}) as unknown as TypedDocumentString<StepDecisionFieldsFragment, unknown>;
export const ResolvedParameterFieldsFragmentDoc = new TypedDocumentString(`
    fragment ResolvedParameterFields on ResolvedParameter {
  path
  template
  value
}
    `, {"fragmentName":"ResolvedParameterFields"}) as unknown as TypedDocumentString<ResolvedParameterFieldsFragment, unknown>;
export const ScheduleRowFragmentDoc = new TypedDocumentString(`
    fragment ScheduleRow on Schedule {
  id
  name
  workflow
  cron
  timezone
  paused
  overlap
  catchUp
  priority
  lastFiredAt
  lastExecutionId
  nextFireTimes(count: 3)
}
    `, {"fragmentName":"ScheduleRow"}) as unknown as TypedDocumentString<ScheduleRowFragment, unknown>;
export const WorkflowStatsFieldsFragmentDoc = new TypedDocumentString(`
    fragment WorkflowStatsFields on WorkflowStats {
  total
  successful
  failed
  cancelled
  running
  queued
  successRate
  averageDurationMs
  p95DurationMs
  stepFailures {
    step
    failures
  }
}
    `, {"fragmentName":"WorkflowStatsFields"}) as unknown as TypedDocumentString<WorkflowStatsFieldsFragment, unknown>;
export const WorkflowRowFragmentDoc = new TypedDocumentString(`
    fragment WorkflowRow on Workflow {
  id
  name
  version
  versionLabel
  description
  tags
  active
  stats(window: {from: $since}) {
    total
    successful
    failed
    cancelled
    running
    successRate
    p95DurationMs
  }
}
    `, {"fragmentName":"WorkflowRow"}) as unknown as TypedDocumentString<WorkflowRowFragment, unknown>;
export const PendingApprovalsDocument = new TypedDocumentString(`
    query PendingApprovals($first: Int!, $after: String) {
  pendingApprovals(first: $first, after: $after) {
    nodes {
      ...Approval
      execution {
        id
        status
        workflowVersion
        workflow {
          id
          name
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment Approval on ApprovalRequest {
  executionId
  step
  prompt
  data
  required
  approvals
  status
  expiresAt
  openedAt
  decidedAt
  youMayDecide
  approvers {
    roles
    permission
    users
  }
  decisions {
    by
    userId
    decision
    comment
    at
  }
}`) as unknown as TypedDocumentString<PendingApprovalsQuery, PendingApprovalsQueryVariables>;
export const RunApprovalsDocument = new TypedDocumentString(`
    query RunApprovals($id: ID!) {
  execution(id: $id) {
    id
    approvals {
      ...Approval
    }
  }
}
    fragment Approval on ApprovalRequest {
  executionId
  step
  prompt
  data
  required
  approvals
  status
  expiresAt
  openedAt
  decidedAt
  youMayDecide
  approvers {
    roles
    permission
    users
  }
  decisions {
    by
    userId
    decision
    comment
    at
  }
}`) as unknown as TypedDocumentString<RunApprovalsQuery, RunApprovalsQueryVariables>;
export const ApproveStepDocument = new TypedDocumentString(`
    mutation ApproveStep($executionId: ID!, $step: String!, $comment: String) {
  approveStep(executionId: $executionId, step: $step, comment: $comment) {
    ...Approval
  }
}
    fragment Approval on ApprovalRequest {
  executionId
  step
  prompt
  data
  required
  approvals
  status
  expiresAt
  openedAt
  decidedAt
  youMayDecide
  approvers {
    roles
    permission
    users
  }
  decisions {
    by
    userId
    decision
    comment
    at
  }
}`) as unknown as TypedDocumentString<ApproveStepMutation, ApproveStepMutationVariables>;
export const RejectStepDocument = new TypedDocumentString(`
    mutation RejectStep($executionId: ID!, $step: String!, $comment: String) {
  rejectStep(executionId: $executionId, step: $step, comment: $comment) {
    ...Approval
  }
}
    fragment Approval on ApprovalRequest {
  executionId
  step
  prompt
  data
  required
  approvals
  status
  expiresAt
  openedAt
  decidedAt
  youMayDecide
  approvers {
    roles
    permission
    users
  }
  decisions {
    by
    userId
    decision
    comment
    at
  }
}`) as unknown as TypedDocumentString<RejectStepMutation, RejectStepMutationVariables>;
export const ApprovalsChangedDocument = new TypedDocumentString(`
    subscription ApprovalsChanged {
  approvalsChanged {
    change
    executionId
    step
    approval {
      ...Approval
    }
  }
}
    fragment Approval on ApprovalRequest {
  executionId
  step
  prompt
  data
  required
  approvals
  status
  expiresAt
  openedAt
  decidedAt
  youMayDecide
  approvers {
    roles
    permission
    users
  }
  decisions {
    by
    userId
    decision
    comment
    at
  }
}`) as unknown as TypedDocumentString<ApprovalsChangedSubscription, ApprovalsChangedSubscriptionVariables>;
export const LoginDocument = new TypedDocumentString(`
    mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    token
    expiresAt
    viewer {
      ...ViewerFields
    }
  }
}
    fragment ViewerFields on Viewer {
  id
  kind
  name
  role
  permissions
  expiresAt
  tenant {
    id
    name
    slug
  }
}`) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    ...ViewerFields
  }
}
    fragment ViewerFields on Viewer {
  id
  kind
  name
  role
  permissions
  expiresAt
  tenant {
    id
    name
    slug
  }
}`) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const AcceptInvitationDocument = new TypedDocumentString(`
    mutation AcceptInvitation($token: String!, $password: String!) {
  acceptInvitation(token: $token, password: $password) {
    id
    email
  }
}
    `) as unknown as TypedDocumentString<AcceptInvitationMutation, AcceptInvitationMutationVariables>;
export const ResetPasswordDocument = new TypedDocumentString(`
    mutation ResetPassword($token: String!, $password: String!) {
  resetPassword(token: $token, password: $password)
}
    `) as unknown as TypedDocumentString<ResetPasswordMutation, ResetPasswordMutationVariables>;
export const RequestPasswordResetDocument = new TypedDocumentString(`
    mutation RequestPasswordReset($email: String!) {
  requestPasswordReset(email: $email)
}
    `) as unknown as TypedDocumentString<RequestPasswordResetMutation, RequestPasswordResetMutationVariables>;
export const WorkflowSourceDocument = new TypedDocumentString(`
    query WorkflowSource($name: String!) {
  workflow(name: $name) {
    id
    name
    version
    definition
  }
}
    `) as unknown as TypedDocumentString<WorkflowSourceQuery, WorkflowSourceQueryVariables>;
export const ValidateDefinitionDocument = new TypedDocumentString(`
    mutation ValidateDefinition($name: String!, $definition: JSON!) {
  validateWorkflowDefinition(name: $name, definition: $definition) {
    valid
    issues {
      path
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ValidateDefinitionMutation, ValidateDefinitionMutationVariables>;
export const CreateWorkflowFromEditorDocument = new TypedDocumentString(`
    mutation CreateWorkflowFromEditor($input: CreateWorkflowInput!) {
  createWorkflow(input: $input) {
    id
    name
    version
  }
}
    `) as unknown as TypedDocumentString<CreateWorkflowFromEditorMutation, CreateWorkflowFromEditorMutationVariables>;
export const SaveWorkflowVersionDocument = new TypedDocumentString(`
    mutation SaveWorkflowVersion($input: UpdateWorkflowInput!) {
  updateWorkflow(input: $input) {
    id
    name
    version
  }
}
    `) as unknown as TypedDocumentString<SaveWorkflowVersionMutation, SaveWorkflowVersionMutationVariables>;
export const SimulateDefinitionDocument = new TypedDocumentString(`
    query SimulateDefinition($definition: JSONObject!, $context: JSONObject, $mocks: JSONObject) {
  simulateWorkflow(definition: $definition, context: $context, mocks: $mocks) {
    valid
    issues {
      path
      message
    }
    status
    path
    steps {
      step
      type
      status
      output
      error {
        code
        message
      }
      resolvedParameters {
        ...ResolvedParameterFields
      }
      decisions {
        ...StepDecisionFields
      }
      call {
        step
        call
        mocked
      }
    }
    unmockedCalls {
      step
      call
    }
    compensated
    result
    error {
      code
      message
      step
    }
    diagnostics {
      code
      step
      message
    }
  }
}
    fragment StepDecisionFields on StepDecision {
  kind
  expression
  value
  result
  branch
}
fragment ResolvedParameterFields on ResolvedParameter {
  path
  template
  value
}`) as unknown as TypedDocumentString<SimulateDefinitionQuery, SimulateDefinitionQueryVariables>;
export const EventsDocument = new TypedDocumentString(`
    query Events($filter: DomainEventFilter, $first: Int!, $after: String) {
  events(filter: $filter, first: $first, after: $after) {
    nodes {
      id
      name
      occurredAt
      dispatchedAt
      source
      deliveries {
        ...EventDeliveryRow
      }
    }
    endCursor
    hasNextPage
  }
}
    fragment EventDeliveryRow on EventDelivery {
  workflow
  status
  executionId
  deliveredAt
  error
}`) as unknown as TypedDocumentString<EventsQuery, EventsQueryVariables>;
export const EventDocument = new TypedDocumentString(`
    query Event($id: ID!) {
  event(id: $id) {
    id
    name
    occurredAt
    dispatchedAt
    source
    payload
    deliveries {
      ...EventDeliveryRow
    }
    executions {
      id
      status
      createdAt
      workflow {
        id
        name
      }
    }
    resumedExecutions {
      id
      status
      createdAt
      workflow {
        id
        name
      }
    }
  }
}
    fragment EventDeliveryRow on EventDelivery {
  workflow
  status
  executionId
  deliveredAt
  error
}`) as unknown as TypedDocumentString<EventQuery, EventQueryVariables>;
export const ExecutionsDocument = new TypedDocumentString(`
    query Executions($filter: ExecutionFilter, $first: Int!, $after: String) {
  executions(filter: $filter, first: $first, after: $after) {
    nodes {
      ...ExecutionRow
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
}
    fragment ExecutionRow on Execution {
  id
  status
  createdAt
  startedAt
  completedAt
  durationMs
  workflowVersion
  workflow {
    id
    name
  }
  trigger {
    type
    source
  }
  error {
    code
    message
  }
}`) as unknown as TypedDocumentString<ExecutionsQuery, ExecutionsQueryVariables>;
export const ExecutionsChangedDocument = new TypedDocumentString(`
    subscription ExecutionsChanged($filter: ExecutionsChangedFilter) {
  executionsChanged(filter: $filter) {
    executionId
    type
    status
    sequence
    execution {
      ...ExecutionRow
    }
  }
}
    fragment ExecutionRow on Execution {
  id
  status
  createdAt
  startedAt
  completedAt
  durationMs
  workflowVersion
  workflow {
    id
    name
  }
  trigger {
    type
    source
  }
  error {
    code
    message
  }
}`) as unknown as TypedDocumentString<ExecutionsChangedSubscription, ExecutionsChangedSubscriptionVariables>;
export const WorkflowNamesDocument = new TypedDocumentString(`
    query WorkflowNames {
  workflows(first: 100) {
    nodes {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<WorkflowNamesQuery, WorkflowNamesQueryVariables>;
export const RunRecordsDocument = new TypedDocumentString(`
    query RunRecords($id: ID!) {
  execution(id: $id) {
    id
    touchedRecords {
      type
      id
      step
      action
      at
    }
  }
}
    `) as unknown as TypedDocumentString<RunRecordsQuery, RunRecordsQueryVariables>;
export const RecordLineageDocument = new TypedDocumentString(`
    query RecordLineage($ref: RecordRef!, $first: Int!) {
  executions(filter: {touching: $ref}, first: $first) {
    nodes {
      ...LineageRun
      touchedRecords {
        type
        id
        step
        action
        at
      }
    }
    pageInfo {
      hasNextPage
    }
  }
}
    fragment LineageRun on Execution {
  id
  status
  workflow {
    id
    name
  }
}`) as unknown as TypedDocumentString<RecordLineageQuery, RecordLineageQueryVariables>;
export const CustomerRecordDocument = new TypedDocumentString(`
    query CustomerRecord($id: ID!) {
  customer(id: $id) {
    id
    name
    email
    company
    status
    createdAt
    createdBy {
      ...RecordOriginLink
    }
    touchedBy {
      step
      action
      at
      execution {
        ...LineageRun
      }
    }
  }
  subscriptions(customerId: $id) {
    id
    planCode
    status
    createdBy {
      ...RecordOriginLink
    }
  }
  licenses(customerId: $id) {
    id
    seats
    status
    createdBy {
      ...RecordOriginLink
    }
  }
  deployments(customerId: $id) {
    id
    type
    status
    createdBy {
      ...RecordOriginLink
    }
  }
  allocations(customerId: $id) {
    serviceId
    ipAddress
    serviceStatus
    createdBy {
      ...RecordOriginLink
    }
  }
  orders(customerId: $id) {
    id
    number
    status
    createdBy {
      ...RecordOriginLink
    }
  }
  tickets(customerId: $id) {
    id
    number
    title
    status
    createdBy {
      ...RecordOriginLink
    }
  }
}
    fragment LineageRun on Execution {
  id
  status
  workflow {
    id
    name
  }
}
fragment RecordOriginLink on RecordOrigin {
  step
  at
  execution {
    id
    workflow {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<CustomerRecordQuery, CustomerRecordQueryVariables>;
export const RunDocument = new TypedDocumentString(`
    query Run($id: ID!) {
  execution(id: $id) {
    ...RunState
    createdAt
    context
    workflowVersion
    parentExecutionId
    priority
    concurrency {
      limit
      key
    }
    trigger {
      type
      source
    }
    triggerEvent {
      id
      name
    }
    definition
    workflow {
      id
      name
    }
  }
}
    fragment RunStep on ExecutionStep {
  id
  key
  name
  type
  status
  attempts
  sequence
  startedAt
  completedAt
  durationMs
  nextAttemptAt
  input
  output
  error {
    code
    message
    retryable
    details
  }
  compensation {
    status
    at
    error {
      code
      message
      retryable
    }
  }
}
fragment RunSummary on Execution {
  id
  status
  cancelRequested
  pauseRequested
  lastSequence
  availableActions {
    action
    allowed
    reason
    code
  }
  startedAt
  completedAt
  durationMs
  error {
    code
    message
    retryable
    step
  }
}
fragment RunState on Execution {
  ...RunSummary
  steps {
    ...RunStep
  }
}`) as unknown as TypedDocumentString<RunQuery, RunQueryVariables>;
export const RunStatusDocument = new TypedDocumentString(`
    query RunStatus($id: ID!) {
  execution(id: $id) {
    ...RunState
  }
}
    fragment RunStep on ExecutionStep {
  id
  key
  name
  type
  status
  attempts
  sequence
  startedAt
  completedAt
  durationMs
  nextAttemptAt
  input
  output
  error {
    code
    message
    retryable
    details
  }
  compensation {
    status
    at
    error {
      code
      message
      retryable
    }
  }
}
fragment RunSummary on Execution {
  id
  status
  cancelRequested
  pauseRequested
  lastSequence
  availableActions {
    action
    allowed
    reason
    code
  }
  startedAt
  completedAt
  durationMs
  error {
    code
    message
    retryable
    step
  }
}
fragment RunState on Execution {
  ...RunSummary
  steps {
    ...RunStep
  }
}`) as unknown as TypedDocumentString<RunStatusQuery, RunStatusQueryVariables>;
export const RunEventsDocument = new TypedDocumentString(`
    query RunEvents($id: ID!, $after: Int!, $first: Int!) {
  execution(id: $id) {
    id
    events(after: $after, first: $first) {
      hasNextPage
      nodes {
        ...RunEvent
      }
    }
  }
}
    fragment RunEvent on ExecutionEvent {
  executionId
  sequence
  type
  stepKey
  at
  payload
}`) as unknown as TypedDocumentString<RunEventsQuery, RunEventsQueryVariables>;
export const RunProgressDocument = new TypedDocumentString(`
    subscription RunProgress($executionId: ID!, $afterSequence: Int!) {
  executionProgress(executionId: $executionId, afterSequence: $afterSequence) {
    ...RunEvent
    step {
      ...RunStep
    }
    execution {
      ...RunSummary
    }
  }
}
    fragment RunStep on ExecutionStep {
  id
  key
  name
  type
  status
  attempts
  sequence
  startedAt
  completedAt
  durationMs
  nextAttemptAt
  input
  output
  error {
    code
    message
    retryable
    details
  }
  compensation {
    status
    at
    error {
      code
      message
      retryable
    }
  }
}
fragment RunSummary on Execution {
  id
  status
  cancelRequested
  pauseRequested
  lastSequence
  availableActions {
    action
    allowed
    reason
    code
  }
  startedAt
  completedAt
  durationMs
  error {
    code
    message
    retryable
    step
  }
}
fragment RunEvent on ExecutionEvent {
  executionId
  sequence
  type
  stepKey
  at
  payload
}`) as unknown as TypedDocumentString<RunProgressSubscription, RunProgressSubscriptionVariables>;
export const CancelRunDocument = new TypedDocumentString(`
    mutation CancelRun($id: ID!) {
  cancelExecution(id: $id) {
    ...RunState
  }
}
    fragment RunStep on ExecutionStep {
  id
  key
  name
  type
  status
  attempts
  sequence
  startedAt
  completedAt
  durationMs
  nextAttemptAt
  input
  output
  error {
    code
    message
    retryable
    details
  }
  compensation {
    status
    at
    error {
      code
      message
      retryable
    }
  }
}
fragment RunSummary on Execution {
  id
  status
  cancelRequested
  pauseRequested
  lastSequence
  availableActions {
    action
    allowed
    reason
    code
  }
  startedAt
  completedAt
  durationMs
  error {
    code
    message
    retryable
    step
  }
}
fragment RunState on Execution {
  ...RunSummary
  steps {
    ...RunStep
  }
}`) as unknown as TypedDocumentString<CancelRunMutation, CancelRunMutationVariables>;
export const PauseRunDocument = new TypedDocumentString(`
    mutation PauseRun($id: ID!) {
  pauseExecution(id: $id) {
    ...RunState
  }
}
    fragment RunStep on ExecutionStep {
  id
  key
  name
  type
  status
  attempts
  sequence
  startedAt
  completedAt
  durationMs
  nextAttemptAt
  input
  output
  error {
    code
    message
    retryable
    details
  }
  compensation {
    status
    at
    error {
      code
      message
      retryable
    }
  }
}
fragment RunSummary on Execution {
  id
  status
  cancelRequested
  pauseRequested
  lastSequence
  availableActions {
    action
    allowed
    reason
    code
  }
  startedAt
  completedAt
  durationMs
  error {
    code
    message
    retryable
    step
  }
}
fragment RunState on Execution {
  ...RunSummary
  steps {
    ...RunStep
  }
}`) as unknown as TypedDocumentString<PauseRunMutation, PauseRunMutationVariables>;
export const ResumeRunDocument = new TypedDocumentString(`
    mutation ResumeRun($id: ID!) {
  resumeExecution(id: $id) {
    ...RunState
  }
}
    fragment RunStep on ExecutionStep {
  id
  key
  name
  type
  status
  attempts
  sequence
  startedAt
  completedAt
  durationMs
  nextAttemptAt
  input
  output
  error {
    code
    message
    retryable
    details
  }
  compensation {
    status
    at
    error {
      code
      message
      retryable
    }
  }
}
fragment RunSummary on Execution {
  id
  status
  cancelRequested
  pauseRequested
  lastSequence
  availableActions {
    action
    allowed
    reason
    code
  }
  startedAt
  completedAt
  durationMs
  error {
    code
    message
    retryable
    step
  }
}
fragment RunState on Execution {
  ...RunSummary
  steps {
    ...RunStep
  }
}`) as unknown as TypedDocumentString<ResumeRunMutation, ResumeRunMutationVariables>;
export const RetryRunDocument = new TypedDocumentString(`
    mutation RetryRun($id: ID!) {
  retryExecution(id: $id) {
    ...RunState
  }
}
    fragment RunStep on ExecutionStep {
  id
  key
  name
  type
  status
  attempts
  sequence
  startedAt
  completedAt
  durationMs
  nextAttemptAt
  input
  output
  error {
    code
    message
    retryable
    details
  }
  compensation {
    status
    at
    error {
      code
      message
      retryable
    }
  }
}
fragment RunSummary on Execution {
  id
  status
  cancelRequested
  pauseRequested
  lastSequence
  availableActions {
    action
    allowed
    reason
    code
  }
  startedAt
  completedAt
  durationMs
  error {
    code
    message
    retryable
    step
  }
}
fragment RunState on Execution {
  ...RunSummary
  steps {
    ...RunStep
  }
}`) as unknown as TypedDocumentString<RetryRunMutation, RetryRunMutationVariables>;
export const RerunRunDocument = new TypedDocumentString(`
    mutation RerunRun($id: ID!, $fromStep: String!, $context: JSONObject) {
  rerunExecution(id: $id, fromStep: $fromStep, context: $context) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<RerunRunMutation, RerunRunMutationVariables>;
export const RetryPreviewDocument = new TypedDocumentString(`
    query RetryPreview($id: ID!) {
  previewRetry(executionId: $id) {
    ...PreviewFields
  }
}
    fragment PreviewFields on ExecutionPreview {
  executionId
  action
  fromStep
  reset
  replayed
  runAgain
  redone
  externalEffects {
    step
    service
    effect
  }
  steps {
    step
    type
    recordedStatus
    fate
    compensated
    effect
    service
  }
}`) as unknown as TypedDocumentString<RetryPreviewQuery, RetryPreviewQueryVariables>;
export const RerunPreviewDocument = new TypedDocumentString(`
    query RerunPreview($id: ID!, $fromStep: String!, $context: JSONObject) {
  previewRerun(executionId: $id, fromStep: $fromStep, context: $context) {
    ...PreviewFields
  }
}
    fragment PreviewFields on ExecutionPreview {
  executionId
  action
  fromStep
  reset
  replayed
  runAgain
  redone
  externalEffects {
    step
    service
    effect
  }
  steps {
    step
    type
    recordedStatus
    fate
    compensated
    effect
    service
  }
}`) as unknown as TypedDocumentString<RerunPreviewQuery, RerunPreviewQueryVariables>;
export const RunStepWhyDocument = new TypedDocumentString(`
    query RunStepWhy($id: ID!, $key: String!) {
  execution(id: $id) {
    id
    step(key: $key) {
      id
      key
      decisions {
        ...StepDecisionFields
      }
      resolvedParameters {
        ...ResolvedParameterFields
      }
    }
  }
}
    fragment StepDecisionFields on StepDecision {
  kind
  expression
  value
  result
  branch
}
fragment ResolvedParameterFields on ResolvedParameter {
  path
  template
  value
}`) as unknown as TypedDocumentString<RunStepWhyQuery, RunStepWhyQueryVariables>;
export const RunChangedDocument = new TypedDocumentString(`
    subscription RunChanged($id: ID!) {
  executionsChanged(filter: {executionId: $id}) {
    executionId
    sequence
    execution {
      ...RunSummary
    }
  }
}
    fragment RunSummary on Execution {
  id
  status
  cancelRequested
  pauseRequested
  lastSequence
  availableActions {
    action
    allowed
    reason
    code
  }
  startedAt
  completedAt
  durationMs
  error {
    code
    message
    retryable
    step
  }
}`) as unknown as TypedDocumentString<RunChangedSubscription, RunChangedSubscriptionVariables>;
export const WorkflowPageDocument = new TypedDocumentString(`
    query WorkflowPage($name: String!) {
  workflow(name: $name) {
    id
    name
    version
    versionLabel
    description
    tags
    active
    updatedAt
    definition
    versions {
      version
      label
      current
      createdAt
      definition
    }
    stats {
      ...WorkflowStatsFields
    }
  }
}
    fragment WorkflowStatsFields on WorkflowStats {
  total
  successful
  failed
  cancelled
  running
  queued
  successRate
  averageDurationMs
  p95DurationMs
  stepFailures {
    step
    failures
  }
}`) as unknown as TypedDocumentString<WorkflowPageQuery, WorkflowPageQueryVariables>;
export const WorkflowStatsLiveDocument = new TypedDocumentString(`
    subscription WorkflowStatsLive($workflow: String!) {
  workflowStatsChanged(workflow: $workflow) {
    ...WorkflowStatsFields
  }
}
    fragment WorkflowStatsFields on WorkflowStats {
  total
  successful
  failed
  cancelled
  running
  queued
  successRate
  averageDurationMs
  p95DurationMs
  stepFailures {
    step
    failures
  }
}`) as unknown as TypedDocumentString<WorkflowStatsLiveSubscription, WorkflowStatsLiveSubscriptionVariables>;
export const WorkflowSchedulesDocument = new TypedDocumentString(`
    query WorkflowSchedules($workflow: String!) {
  schedules(workflow: $workflow) {
    ...ScheduleRow
  }
}
    fragment ScheduleRow on Schedule {
  id
  name
  workflow
  cron
  timezone
  paused
  overlap
  catchUp
  priority
  lastFiredAt
  lastExecutionId
  nextFireTimes(count: 3)
}`) as unknown as TypedDocumentString<WorkflowSchedulesQuery, WorkflowSchedulesQueryVariables>;
export const PauseScheduleDocument = new TypedDocumentString(`
    mutation PauseSchedule($workflow: String!, $name: String!) {
  pauseSchedule(workflow: $workflow, name: $name) {
    ...ScheduleRow
  }
}
    fragment ScheduleRow on Schedule {
  id
  name
  workflow
  cron
  timezone
  paused
  overlap
  catchUp
  priority
  lastFiredAt
  lastExecutionId
  nextFireTimes(count: 3)
}`) as unknown as TypedDocumentString<PauseScheduleMutation, PauseScheduleMutationVariables>;
export const ResumeScheduleDocument = new TypedDocumentString(`
    mutation ResumeSchedule($workflow: String!, $name: String!) {
  resumeSchedule(workflow: $workflow, name: $name) {
    ...ScheduleRow
  }
}
    fragment ScheduleRow on Schedule {
  id
  name
  workflow
  cron
  timezone
  paused
  overlap
  catchUp
  priority
  lastFiredAt
  lastExecutionId
  nextFireTimes(count: 3)
}`) as unknown as TypedDocumentString<ResumeScheduleMutation, ResumeScheduleMutationVariables>;
export const StartRunDocument = new TypedDocumentString(`
    mutation StartRun($name: String!, $context: JSONObject, $idempotencyKey: String, $priority: Int) {
  executeWorkflow(
    name: $name
    context: $context
    idempotencyKey: $idempotencyKey
    priority: $priority
  ) {
    created
    execution {
      id
      status
    }
  }
}
    `) as unknown as TypedDocumentString<StartRunMutation, StartRunMutationVariables>;
export const AllSchedulesDocument = new TypedDocumentString(`
    query AllSchedules {
  schedules {
    ...ScheduleRow
    runs(first: 5) {
      tickAt
      at
      status
      ticks
      executionId
      error
    }
  }
}
    fragment ScheduleRow on Schedule {
  id
  name
  workflow
  cron
  timezone
  paused
  overlap
  catchUp
  priority
  lastFiredAt
  lastExecutionId
  nextFireTimes(count: 3)
}`) as unknown as TypedDocumentString<AllSchedulesQuery, AllSchedulesQueryVariables>;
export const WorkflowsDocument = new TypedDocumentString(`
    query Workflows($filter: WorkflowFilter, $first: Int!, $after: String, $since: DateTime) {
  workflows(filter: $filter, first: $first, after: $after) {
    nodes {
      ...WorkflowRow
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
}
    fragment WorkflowRow on Workflow {
  id
  name
  version
  versionLabel
  description
  tags
  active
  stats(window: {from: $since}) {
    total
    successful
    failed
    cancelled
    running
    successRate
    p95DurationMs
  }
}`) as unknown as TypedDocumentString<WorkflowsQuery, WorkflowsQueryVariables>;
export const WorkflowsChangedDocument = new TypedDocumentString(`
    subscription WorkflowsChanged {
  workflowChanged {
    workflowId
    change
    version
  }
}
    `) as unknown as TypedDocumentString<WorkflowsChangedSubscription, WorkflowsChangedSubscriptionVariables>;