import { isDeepStrictEqual } from 'node:util';
import { LockMode, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { Tenant, Workflow, WorkflowVersion, type JsonObject } from '../../entities/index.js';
import { AppError } from '../../errors.js';
import type { WorkflowChangeKind } from '../topics.js';
import type { OperationOptions } from '../ports.js';
import { transactionQueryable } from '../../infra/queryable.js';
import type { CallerTransaction, EngineOrm } from './transactions.js';

/** A workflow as the engine hands it out: its current version's definition, no ORM entity. */
export interface WorkflowRecord {
  id: string;
  tenantId: string;
  name: string;
  description: string;
  version: number;
  /** The author's label of that version (the seeds' `"version": "1.0.0"`), if it was given one. */
  versionLabel: string | null;
  /** In its author's key order (see WorkflowVersion.authoredDefinition). */
  definition: JsonObject;
  active: boolean;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface SaveWorkflowInput {
  tenantId: string;
  name: string;
  description?: string;
  definition: JsonObject;
  tags?: string[];
  /**
   * The author's label for the version this saves (`"1.0.0"`); executions are pinned to the integer
   * version, never to this. Saving the current definition again with a label relabels that version.
   */
  label?: string;
  /** `create`: CONFLICT when the name exists; `update`: NOT_FOUND when it does not. Default: either. */
  mode?: 'create' | 'update';
}

export interface WorkflowListFilter {
  tenantId?: string;
  active?: boolean;
}

function toRecord(workflow: Workflow, version: WorkflowVersion): WorkflowRecord {
  return {
    id: workflow.id,
    tenantId: workflow.tenant.id,
    name: workflow.name,
    description: workflow.description,
    version: version.version,
    versionLabel: version.label ?? null,
    definition: version.authoredDefinition ?? version.definition,
    active: workflow.active,
    tags: [...workflow.tags],
    createdAt: workflow.createdAt,
    updatedAt: workflow.updatedAt,
  };
}

async function withCurrentVersions(em: EntityManager, workflows: Workflow[]): Promise<WorkflowRecord[]> {
  if (workflows.length === 0) return [];
  const versions = await em.find(WorkflowVersion, {
    $or: workflows.map((workflow) => ({ workflow: workflow.id, version: workflow.currentVersion })),
  });
  const byWorkflow = new Map(versions.map((version) => [version.workflow.id, version]));
  return workflows.map((workflow) => {
    const version = byWorkflow.get(workflow.id);
    if (!version) throw new Error(`workflow ${workflow.id} has no version ${workflow.currentVersion}`);
    return toRecord(workflow, version);
  });
}

export async function listWorkflows(em: CallerTransaction, filter: WorkflowListFilter = {}): Promise<WorkflowRecord[]> {
  const workflows = await em.find(
    Workflow,
    {
      ...(filter.tenantId === undefined ? {} : { tenant: filter.tenantId }),
      ...(filter.active === undefined ? {} : { active: filter.active }),
    },
    { orderBy: { name: 'asc', id: 'asc' } },
  );
  return withCurrentVersions(em, workflows);
}

export async function findWorkflowByName(em: CallerTransaction, name: string, tenantId?: string): Promise<WorkflowRecord | undefined> {
  const workflows = await em.find(Workflow, { name, ...(tenantId === undefined ? {} : { tenant: tenantId }) }, { limit: 2 });
  if (workflows.length > 1) {
    throw new AppError('BAD_USER_INPUT', `more than one tenant has a workflow named "${name}"; name the tenant`);
  }
  const [record] = await withCurrentVersions(em, workflows);
  return record;
}

export interface WorkflowChange {
  record: WorkflowRecord;
  /** What changed; undefined when nothing did. */
  change: WorkflowChangeKind | undefined;
}

/**
 * A change to a workflow in a transaction of its own, and the caller's statement (`options.inTransaction`)
 * told the version in it.
 */
function changeInTransaction(
  orm: EngineOrm,
  options: OperationOptions | undefined,
  work: (em: EntityManager) => Promise<WorkflowChange>,
): Promise<WorkflowChange> {
  return orm.em.fork().transactional(async (em) => {
    const done = await work(em);
    await em.flush();
    await options?.inTransaction?.(transactionQueryable(em), { workflowId: done.record.id, version: done.record.version });
    return done;
  });
}

/** Creates the workflow, or adds a version when the definition changed (see saveWorkflow), in a transaction. */
export function saveWorkflowVersion(orm: EngineOrm, input: SaveWorkflowInput, options?: OperationOptions): Promise<WorkflowChange> {
  return changeInTransaction(orm, options, (em) => saveWorkflow(em, input));
}

/** Sets whether a workflow starts new executions (see setWorkflowActive), in a transaction. */
export function changeWorkflowActive(
  orm: EngineOrm,
  tenantId: string,
  name: string,
  active: boolean,
  options?: OperationOptions,
): Promise<WorkflowChange> {
  return changeInTransaction(orm, options, (em) => setWorkflowActive(em, tenantId, name, active));
}

/**
 * Creates the workflow, or adds a version when the definition changed. Runs inside the caller's
 * transaction; the row lock on the workflow serialises concurrent saves of one name.
 */
async function saveWorkflow(em: EntityManager, input: SaveWorkflowInput): Promise<WorkflowChange> {
  const label = input.label === undefined ? undefined : versionLabel(input.label);
  const existing = await em.findOne(Workflow, { tenant: input.tenantId, name: input.name }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (existing && input.mode === 'create')
    throw new AppError('CONFLICT', `a workflow named "${input.name}" exists already; update it instead`);
  if (!existing && input.mode === 'update') throw new AppError('NOT_FOUND', `no workflow named "${input.name}"`);
  if (!existing) {
    const workflow = em.create(Workflow, {
      tenant: em.getReference(Tenant, input.tenantId),
      name: input.name,
      description: input.description ?? '',
      tags: input.tags ?? [],
    });
    const version = em.create(WorkflowVersion, { workflow, version: 1, ...definitionColumns(input.definition), label: label ?? null });
    try {
      await em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new AppError('CONFLICT', `workflow "${input.name}" was created concurrently; save it again`, {
          retryable: true,
          cause: error,
        });
      }
      throw error;
    }
    return { record: toRecord(workflow, version), change: 'created' };
  }
  const current = await em.findOneOrFail(WorkflowVersion, { workflow: existing.id, version: existing.currentVersion });
  if (input.description !== undefined) existing.description = input.description;
  if (input.tags !== undefined) existing.tags = input.tags;
  // Equal whatever the key order: a version is what the definition does, so reordering keys makes none.
  if (isDeepStrictEqual(current.definition, input.definition)) {
    // Saving a deactivated workflow's definition again is asking for it back.
    const reactivated = !existing.active;
    existing.active = true;
    if (label !== undefined) current.label = label;
    await em.flush();
    return { record: toRecord(existing, current), change: reactivated ? 'activated' : undefined };
  }
  existing.currentVersion = current.version + 1;
  existing.active = true;
  const next = em.create(WorkflowVersion, {
    workflow: existing,
    version: existing.currentVersion,
    ...definitionColumns(input.definition),
    label: label ?? null,
  });
  await em.flush();
  return { record: toRecord(existing, next), change: 'versioned' };
}

/**
 * Both columns of a definition: the jsonb the engine reads, and the same in its author's key order (the
 * order the object's keys were given in: a JSON text's, through JSON.parse or the GraphQL JSON scalars).
 */
function definitionColumns(definition: JsonObject): Pick<WorkflowVersion, 'definition' | 'authoredDefinition'> {
  return { definition, authoredDefinition: definition };
}

export const MAX_VERSION_LABEL_LENGTH = 100;

/** A label as stored: trimmed, 1 to MAX_VERSION_LABEL_LENGTH characters (BAD_USER_INPUT otherwise). */
function versionLabel(raw: string): string {
  const label = raw.trim();
  if (label.length === 0 || label.length > MAX_VERSION_LABEL_LENGTH) {
    throw new AppError('BAD_USER_INPUT', `a version label has 1 to ${MAX_VERSION_LABEL_LENGTH} characters`, {
      details: { issues: [{ path: '$.version', message: `1 to ${MAX_VERSION_LABEL_LENGTH} characters` }] },
    });
  }
  return label;
}

/**
 * Sets whether a workflow starts new executions (its versions and executions are kept either way; runs
 * in progress go on). Idempotent: a call that changes nothing reports no change.
 */
async function setWorkflowActive(em: EntityManager, tenantId: string, name: string, active: boolean): Promise<WorkflowChange> {
  const workflow = await em.findOne(Workflow, { tenant: tenantId, name }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!workflow) throw new AppError('NOT_FOUND', `no workflow named "${name}"`);
  const current = await em.findOneOrFail(WorkflowVersion, { workflow: workflow.id, version: workflow.currentVersion });
  if (workflow.active === active) return { record: toRecord(workflow, current), change: undefined };
  workflow.active = active;
  await em.flush();
  return { record: toRecord(workflow, current), change: active ? 'activated' : 'deactivated' };
}
