import type { EntityManager } from '@mikro-orm/postgresql';
import type { Engine } from '../engine/index.js';
import type { OperationOptions } from '../engine/ports.js';
import type { WorkflowRecord } from '../engine/store/workflow-store.js';
import { BuiltInWorkflowRecord } from '../entities/built-in-workflow.entity.js';
import type { JsonObject } from '../entities/json.js';
import { AppError } from '../errors.js';
import type { Queryable } from '../infra/queryable.js';
import { builtInWorkflows } from './catalog.js';
import type { BuiltInWorkflow } from './common.js';

/**
 * Where a tenant's workflow of a built-in's name stands against this release's built-in:
 * - `current`: it holds this revision, as given;
 * - `outdated`: it holds an older revision, unedited (the next start gives it this one);
 * - `edited`: the tenant saved a version of its own since the built-in's;
 * - `tenants_own`: no built-in was ever given under that name: the tenant made it;
 * - `newer`: it holds a revision later than this release knows.
 */
export type BuiltInState = 'current' | 'outdated' | 'edited' | 'tenants_own' | 'newer';

export interface HeldRevision {
  revision: number;
  version: number;
}

export function builtInState(currentVersion: number, held: HeldRevision | null, revision: number): BuiltInState {
  if (!held) return 'tenants_own';
  if (currentVersion !== held.version) return 'edited';
  if (held.revision > revision) return 'newer';
  return held.revision === revision ? 'current' : 'outdated';
}

export interface BuiltInStatus {
  name: string;
  /** This release's revision of the built-in. */
  revision: number;
  /** The revision the tenant was given (null: none). */
  heldRevision: number | null;
  /** The workflow version that revision was given as. */
  givenVersion: number | null;
  state: BuiltInState;
}

export function builtInNamed(name: string, tenantId: string): BuiltInWorkflow | undefined {
  return builtInWorkflows({ tenantId }).find((workflow) => workflow.name === name);
}

/** The revisions a tenant was given, by workflow name (one read). */
export async function heldRevisions(em: EntityManager, tenantId: string): Promise<Map<string, HeldRevision>> {
  const rows = await em.find(BuiltInWorkflowRecord, { tenant: tenantId });
  return new Map(rows.map((row) => [row.name, { revision: row.revision, version: row.version }]));
}

/** A workflow's status against this release's built-in of its name; undefined when no built-in has that name. */
export function builtInStatusOf(
  workflow: { name: string; version: number },
  held: ReadonlyMap<string, HeldRevision>,
  tenantId: string,
): BuiltInStatus | undefined {
  const builtIn = builtInNamed(workflow.name, tenantId);
  if (!builtIn) return undefined;
  const record = held.get(workflow.name) ?? null;
  return {
    name: workflow.name,
    revision: builtIn.revision,
    heldRevision: record?.revision ?? null,
    givenVersion: record?.version ?? null,
    state: builtInState(workflow.version, record, builtIn.revision),
  };
}

/** Records, in the caller's transaction, that the tenant holds `builtIn`'s revision as `version`. */
export async function recordRevision(db: Queryable, tenantId: string, builtIn: BuiltInWorkflow, version: number): Promise<void> {
  await db.query(
    `insert into built_in_workflows (tenant_id, name, revision, version, recorded_at) values ($1, $2, $3, $4, now())
     on conflict (tenant_id, name) do update set revision = excluded.revision, version = excluded.version, recorded_at = excluded.recorded_at`,
    [tenantId, builtIn.name, builtIn.revision, version],
  );
}

/**
 * Saves this release's definition of a built-in as the tenant's current version — over an edit or a
 * workflow of its own of that name, on the tenant's explicit word (their versions are kept, and runs
 * started on them too) — and records the revision, so later releases upgrade it again. NOT_FOUND when
 * the name is no built-in's.
 */
export async function restoreBuiltInWorkflow(
  engine: Engine,
  tenantId: string,
  name: string,
  options?: OperationOptions,
): Promise<WorkflowRecord> {
  const builtIn = builtInNamed(name, tenantId);
  if (!builtIn) throw new AppError('NOT_FOUND', `no built-in workflow named "${name}"`);
  return engine.workflows.save(
    { tenantId, name, description: builtIn.description, tags: builtIn.tags, definition: builtIn.definition as unknown as JsonObject },
    {
      inTransaction: async (db, facts) => {
        await options?.inTransaction?.(db, facts);
        await recordRevision(db, tenantId, builtIn, facts.version);
      },
    },
  );
}
