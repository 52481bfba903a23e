import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.js';
import type { EventPublisher } from './ports.js';
import {
  findWorkflowByName,
  listWorkflows,
  saveWorkflow,
  type SaveWorkflowInput,
  type WorkflowListFilter,
  type WorkflowRecord,
} from './store/workflow-store.js';
import { TOPICS, type WorkflowChangedEvent } from './topics.js';

export type { WorkflowRecord, SaveWorkflowInput, WorkflowListFilter };
export { TOPICS };
export type { WorkflowChangedEvent };

export interface EngineDeps {
  orm: MikroORM;
  publisher: EventPublisher;
  logger: Logger;
}

export interface WorkflowCatalog {
  list(em: EntityManager, filter?: WorkflowListFilter): Promise<WorkflowRecord[]>;
  findByName(em: EntityManager, name: string, tenantId?: string): Promise<WorkflowRecord | undefined>;
  /** Creates the workflow or a new version of it, commits, then publishes `workflow.changed`. */
  save(input: SaveWorkflowInput): Promise<WorkflowRecord>;
}

/** The engine's public surface. */
export interface Engine {
  readonly workflows: WorkflowCatalog;
}

export function createEngine(deps: EngineDeps): Engine {
  const { orm, publisher, logger } = deps;

  const workflows: WorkflowCatalog = {
    list: listWorkflows,
    findByName: findWorkflowByName,
    async save(input) {
      const { record, change } = await orm.em.fork().transactional((em) => saveWorkflow(em, input));
      if (change) {
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
      return record;
    },
  };

  return { workflows };
}
