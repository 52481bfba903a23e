import type { NonEmptyArray } from 'type-graphql';
import { ApiKeyResolver } from './api-key.resolver.js';
import { ApprovalChangeResolver, ApprovalResolver, ExecutionApprovalsResolver } from './approval.resolver.js';
import { AuditResolver } from './audit.resolver.js';
import { AuthResolver } from './auth.resolver.js';
import { EventResolver, ExecutionTriggerEventResolver } from './event.resolver.js';
import { ExecutionActionsResolver } from './execution-actions.resolver.js';
import { ExecutionPreviewResolver } from './execution-preview.resolver.js';
import { ExecutionResolver } from './execution.resolver.js';
import { ExecutionChangeResolver, ProgressResolver } from './progress.resolver.js';
import { ScheduleResolver } from './schedule.resolver.js';
import { SimulationResolver } from './simulation.resolver.js';
import { StepWhyResolver } from './step-why.resolver.js';
import { TenantResolver } from './tenant.resolver.js';
import { UserResolver } from './user.resolver.js';
import { WebhookSecretResolver } from './webhook.resolver.js';
import { WorkflowResolver } from './workflow.resolver.js';
import { BuiltInWorkflowResolver } from './built-in-workflow.resolver.js';
import { WorkflowStatsResolver } from './workflow-stats.resolver.js';
import { DOMAIN_RESOLVERS } from './domain/index.js';
import { LINEAGE_RESOLVERS } from './lineage.resolver.js';
import type { ResolverClass } from './resolver-class.js';

/** Every resolver class of the schema. Each area adds its own here. */
export const RESOLVERS: NonEmptyArray<ResolverClass> = [
  WorkflowResolver,
  BuiltInWorkflowResolver,
  AuthResolver,
  ApiKeyResolver,
  ExecutionResolver,
  ProgressResolver,
  ExecutionChangeResolver,
  ...DOMAIN_RESOLVERS,
  EventResolver,
  ExecutionTriggerEventResolver,
  ScheduleResolver,
  UserResolver,
  AuditResolver,
  TenantResolver,
  WebhookSecretResolver,
  ApprovalResolver,
  ApprovalChangeResolver,
  ExecutionApprovalsResolver,
  ExecutionActionsResolver,
  ExecutionPreviewResolver,
  StepWhyResolver,
  SimulationResolver,
  WorkflowStatsResolver,
  ...LINEAGE_RESOLVERS,
];
