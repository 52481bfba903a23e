import { ApprovalDecision, ApprovalRequest } from './approval.entity.js';
import { AUTH_ENTITIES } from './auth/index.js';
import { BuiltInWorkflowRecord } from './built-in-workflow.entity.js';
import { Customer } from './customer.entity.js';
import { DOMAIN_ENTITIES } from './domain/index.js';
import { INTEGRATION_ENTITIES } from './integrations/index.js';
import { DomainEvent } from './domain-event.entity.js';
import { EventDelivery } from './event-delivery.entity.js';
import { EventDeliveryLookback } from './event-delivery-lookback.entity.js';
import { Execution } from './execution.entity.js';
import { ExecutionEvent } from './execution-event.entity.js';
import { ExecutionWait } from './execution-wait.entity.js';
import { ExecutionStep } from './execution-step.entity.js';
import { RecordLineage } from './record-lineage.entity.js';
import { ScheduleRun } from './schedule-run.entity.js';
import { SystemSchedule } from './schedule-system.entity.js';
import { WorkflowSchedule } from './schedule.entity.js';
import { ServiceCallRecord } from './service-call-record.entity.js';
import { Tenant } from './tenant.entity.js';
import { User } from './user.entity.js';
import { Workflow } from './workflow.entity.js';
import { WorkflowVersion } from './workflow-version.entity.js';
import type { EntityClass } from './entity-class.js';

export {
  Customer,
  DomainEvent,
  Execution,
  ExecutionEvent,
  ExecutionWait,
  ExecutionStep,
  ServiceCallRecord,
  Tenant,
  User,
  Workflow,
  WorkflowVersion,
};
export { ApprovalDecision, ApprovalRequest, BuiltInWorkflowRecord, RecordLineage };
export { EventDelivery, EventDeliveryLookback, ScheduleRun, SystemSchedule, WorkflowSchedule };
export * from './json.js';
export * from './statuses.js';

export const CORE_ENTITIES: EntityClass[] = [
  Tenant,
  User,
  Customer,
  Workflow,
  WorkflowVersion,
  Execution,
  ExecutionStep,
  ExecutionEvent,
  ExecutionWait,
  ServiceCallRecord,
  DomainEvent,
  EventDelivery,
  EventDeliveryLookback,
  WorkflowSchedule,
  ScheduleRun,
  SystemSchedule,
  ApprovalRequest,
  ApprovalDecision,
  RecordLineage,
  BuiltInWorkflowRecord,
];

/** Every entity MikroORM must know; the migrations create their tables. */
export const ALL_ENTITIES: EntityClass[] = [...CORE_ENTITIES, ...DOMAIN_ENTITIES, ...AUTH_ENTITIES, ...INTEGRATION_ENTITIES];
