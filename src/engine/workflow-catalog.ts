import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ServiceRegistry } from '../services/registry.js';
import { parseWorkflowDefinition } from './definition/parse.js';
import type { WorkflowDefinition } from './definition/step-types.js';
import type { EventPublisher, OperationOptions } from './ports.js';
import { allSteps } from './runtime/decider.js';
import { currentDefinitions } from './store/definition-store.js';
import type { CallerTransaction, EngineOrm } from './store/transactions.js';
import type { Queryable } from '../infra/queryable.js';
import {
  findWorkflowByName,
  listWorkflows,
  changeWorkflowActive,
  saveWorkflowVersion,
  type SaveWorkflowInput,
  type WorkflowListFilter,
  type WorkflowRecord,
} from './store/workflow-store.js';
import { TOPICS, type WorkflowChangeKind, type WorkflowChangedEvent } from './topics.js';

export interface WorkflowCatalog {
  /** In the caller's transaction (a request's tenant transaction), as findByName. */
  list(em: CallerTransaction, filter?: WorkflowListFilter): Promise<WorkflowRecord[]>;
  findByName(em: CallerTransaction, name: string, tenantId?: string): Promise<WorkflowRecord | undefined>;
  /**
   * Validates the definition (VALIDATION with every issue), then creates the workflow or a new version, then publishes.
   * `options.inTransaction` (here and below): the caller's statement in the change's transaction, told the version.
   */
  save(input: SaveWorkflowInput, options?: OperationOptions): Promise<WorkflowRecord>;
  /** Validates without saving: the issues, each with its JSON path. */
  validate(tenantId: string, name: string, definition: unknown): Promise<Array<{ path: string; message: string }>>;
  /** Starts no new runs of it from now on (history kept, runs in progress go on); publishes the change. NOT_FOUND when unknown. */
  deactivate(tenantId: string, name: string, options?: OperationOptions): Promise<WorkflowRecord>;
  /** Starts new runs of a deactivated workflow again, in every process at once; publishes the change. NOT_FOUND when unknown. */
  activate(tenantId: string, name: string, options?: OperationOptions): Promise<WorkflowRecord>;
}

/** Workflows and their versions: validated against the tenant's other workflows, saved, (de)activated, announced. */
export function createWorkflowCatalog(deps: {
  db: Queryable;
  orm: EngineOrm;
  services: ServiceRegistry;
  publisher: EventPublisher;
  logger: Logger;
}): WorkflowCatalog {
  const { db, orm, services, publisher, logger } = deps;

  async function validate(tenantId: string, name: string, raw: unknown) {
    const rows = await currentDefinitions(db, tenantId);
    const subWorkflows = new Map<string, string[]>(
      rows.map((row) => [
        row.name,
        [...allSteps((row.definition as unknown as WorkflowDefinition).steps ?? [])].flatMap((step) =>
          step.type === 'sub_workflow' ? [step.workflow] : [],
        ),
      ]),
    );
    const result = parseWorkflowDefinition(raw, {
      services,
      selfName: name,
      workflows: {
        exists: (workflow) => workflow === name || subWorkflows.has(workflow),
        subWorkflowsOf: (workflow) => subWorkflows.get(workflow) ?? [],
      },
    });
    return result.ok ? [] : result.issues;
  }

  const workflows: WorkflowCatalog = {
    list: listWorkflows,
    findByName: findWorkflowByName,
    validate,
    async save(input, options) {
      const issues = await validate(input.tenantId, input.name, input.definition);
      if (issues.length > 0) {
        throw new AppError(
          'VALIDATION',
          `the definition of ${input.name} has ${issues.length} problem(s): ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
          {
            details: { issues },
          },
        );
      }
      const { record, change } = await saveWorkflowVersion(orm, input, options);
      if (change) await publishWorkflowChange(record, change);
      return record;
    },
    deactivate: (tenantId, name, options) => setActive(tenantId, name, false, options),
    activate: (tenantId, name, options) => setActive(tenantId, name, true, options),
  };

  async function setActive(tenantId: string, name: string, active: boolean, options?: OperationOptions): Promise<WorkflowRecord> {
    const { record, change } = await changeWorkflowActive(orm, tenantId, name, active, options);
    if (change) await publishWorkflowChange(record, change);
    return record;
  }

  async function publishWorkflowChange(record: WorkflowRecord, change: WorkflowChangeKind): Promise<void> {
    const event: WorkflowChangedEvent = {
      tenantId: record.tenantId,
      workflowId: record.id,
      name: record.name,
      version: record.version,
      change,
      at: record.updatedAt.toISOString(),
    };
    // After commit: a lost notification costs a refresh, never data.
    await publisher.publish(TOPICS.workflowChanged, event).catch((error: unknown) => {
      logger.warn({ err: error, topic: TOPICS.workflowChanged }, 'publish after commit failed');
    });
  }

  return workflows;
}
