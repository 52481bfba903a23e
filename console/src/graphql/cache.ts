import type { CacheExchangeOpts } from '@urql/exchange-graphcache';
import { mergeEventStep } from './run-steps';

/** Types without an id of their own live inside their parent's record. */
const embedded = () => null;

/**
 * Entities are normalised by `__typename` and `id`: an execution that arrives in a subscription
 * (`executionsChanged`, `executionProgress`) or a mutation's answer updates every query that shows it.
 * Which rows a list holds is the list's business (executions/ExecutionsPage.tsx refetches it), except
 * a run's steps, which its live events keep (run-steps.ts).
 */
export const cacheConfig: CacheExchangeOpts = {
  updates: { Subscription: { executionProgress: mergeEventStep } },
  keys: {
    PageInfo: embedded,
    ExecutionConnection: embedded,
    ExecutionEdge: embedded,
    ExecutionTrigger: embedded,
    ExecutionError: embedded,
    // A run's step (`<executionId>:<key>`): the run's list and a live event's step are one record. A
    // selection without `id` keeps its copy embedded.
    ExecutionStep: (step) => (typeof step['id'] === 'string' ? step['id'] : null),
    StepCompensation: embedded,
    ExecutionEventPage: embedded,
    ExecutionChange: embedded,
    AvailableAction: embedded,
    ExecutionEvent: (event) => `${event['executionId'] as string}:${event['sequence'] as number}`,
    LoginPayload: embedded,
    WorkflowConnection: embedded,
    WorkflowVersion: embedded,
    WorkflowStats: embedded,
    WorkflowChangedEvent: embedded,
    StepFailureCount: embedded,
    ExecutionStart: embedded,
    WorkflowValidation: embedded,
    ValidationIssue: embedded,
    DomainEventPage: embedded,
    EventDelivery: embedded,
    ScheduleRun: embedded,
    // An approval request is its run's step: the inbox, the run page and a decision's answer share it.
    ApprovalRequest: (request) => `${request['executionId'] as string}:${request['step'] as string}`,
    ApprovalApprovers: embedded,
    ApprovalDecision: embedded,
    ApprovalRequestConnection: embedded,
    ApprovalChange: embedded,
    TouchedRecord: embedded,
    ExecutionConcurrency: embedded,
    ExecutionPreview: embedded,
    StepPreview: embedded,
    Simulation: embedded,
    SimulatedStep: embedded,
    SimulatedCall: embedded,
    StepDecision: embedded,
    ResolvedParameter: embedded,
    LintDiagnostic: embedded,
    RecordOrigin: embedded,
    RecordTouch: embedded,
    // A service instance is known by its serviceId (RecordRef's id for an ALLOCATION).
    Allocation: (allocation) => allocation['serviceId'] as string,
  },
};
