import { Execution } from './execution.entity.js';
import { ExecutionStep } from './execution-step.entity.js';
import { Tenant } from './tenant.entity.js';
import { User } from './user.entity.js';
import { Workflow } from './workflow.entity.js';
import { WorkflowVersion } from './workflow-version.entity.js';

export { Execution, ExecutionStep, Tenant, User, Workflow, WorkflowVersion };
export * from './json.js';
export * from './statuses.js';

/** Every entity MikroORM must know; the migrations create their tables. */
export const ALL_ENTITIES = [Tenant, User, Workflow, WorkflowVersion, Execution, ExecutionStep];
