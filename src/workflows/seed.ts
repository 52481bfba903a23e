import { isDeepStrictEqual } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertNever } from '../engine/definition/step-types.js';
import type { Engine } from '../engine/index.js';
import type { WorkflowRecord } from '../engine/store/workflow-store.js';
import { BuiltInWorkflowRecord } from '../entities/built-in-workflow.entity.js';
import type { JsonObject } from '../entities/json.js';
import { AppError } from '../errors.js';
import { transactionQueryable } from '../infra/queryable.js';
import { builtInState, recordRevision } from './built-in-status.js';
import type { Logger } from '../logger.js';
import { builtInWorkflows } from './catalog.js';
import type { BuiltInWorkflow } from './common.js';

/**
 * What became of one built-in workflow in a tenant:
 * - `created`: it was missing and is now there, at the catalog's revision;
 * - `upgraded`: it held an older revision, unedited, and now has this one as a new version;
 * - `current`: it holds this revision already;
 * - `edited`: the tenant saved a version of its own since the built-in's — kept, nothing applied;
 * - `taken`: a workflow of that name is there that no seeding made — the tenant's own, left alone;
 * - `newer`: it holds a later revision than this code knows (an older process during a rolling deploy).
 */
export type BuiltInOutcome = 'created' | 'upgraded' | 'current' | 'edited' | 'taken' | 'newer';

export interface SeededWorkflow {
  name: string;
  /** The workflow's current version after this pass. */
  version: number;
  /** False: a workflow of that name was already there. */
  created: boolean;
  outcome: BuiltInOutcome;
  /** The catalog's revision of the built-in. */
  revision: number;
  /** The revision the tenant held before this pass (null: none recorded). */
  heldRevision: number | null;
}

interface Seeding {
  engine: Engine;
  tenantId: string;
  em: EntityManager;
  logger?: Logger | undefined;
}

/**
 * Gives a tenant the built-in workflows, each through `engine.workflows.save` (which validates services,
 * params, references and triggers), and records which revision it got as which version
 * (`built_in_workflows`). A missing one is created; one holding an older revision that the tenant has not
 * edited gets the newer definition as a new version — runs already started stay on theirs, and a
 * deactivated workflow stays deactivated; one the tenant edited, or a workflow of the name it made itself,
 * is left as it is and reported (`edited` is logged as a warning when a newer revision is waiting).
 * Running it again changes nothing. `em` reads (it is forked).
 */
export async function seedBuiltInWorkflows(
  engine: Engine,
  tenantId: string,
  options: { em: EntityManager; logger?: Logger },
): Promise<SeededWorkflow[]> {
  const seeding: Seeding = { engine, tenantId, em: options.em, logger: options.logger };
  const seeded: SeededWorkflow[] = [];
  for (const builtIn of builtInWorkflows({ tenantId })) {
    try {
      seeded.push(await seedOne(seeding, builtIn));
    } catch (error) {
      // A concurrent start (another process, the same pass) saved it first: decide again on what it left.
      if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
      seeded.push(await seedOne(seeding, builtIn));
    }
  }
  return seeded;
}

/** Every tenant that was given built-in workflows gets the newer revisions and the new built-ins of this code (at start). */
export async function upgradeBuiltInWorkflows(
  engine: Engine,
  options: { em: EntityManager; logger: Logger },
): Promise<Map<string, SeededWorkflow[]>> {
  const rows = await options.em
    .fork()
    .getConnection()
    .execute<{ tenant_id: string }[]>('select distinct tenant_id from built_in_workflows order by tenant_id');
  const byTenant = new Map<string, SeededWorkflow[]>();
  for (const { tenant_id: tenantId } of rows) {
    const seeded = await seedBuiltInWorkflows(engine, tenantId, options);
    byTenant.set(tenantId, seeded);
    const changed = seeded.filter((workflow) => workflow.outcome === 'created' || workflow.outcome === 'upgraded');
    if (changed.length > 0) {
      options.logger.info(
        {
          tenantId,
          workflows: changed.map(({ name, outcome, version, revision, heldRevision }) => ({
            name,
            outcome,
            version,
            revision,
            heldRevision,
          })),
        },
        'built-in workflows brought up to this release',
      );
    }
  }
  return byTenant;
}

async function seedOne(seeding: Seeding, builtIn: BuiltInWorkflow): Promise<SeededWorkflow> {
  const { engine, tenantId, em } = seeding;
  const reads = em.fork();
  const existing = await engine.workflows.findByName(reads, builtIn.name, tenantId);
  const held = await reads.findOne(BuiltInWorkflowRecord, { tenant: tenantId, name: builtIn.name });
  const report = (outcome: BuiltInOutcome, version: number): SeededWorkflow => ({
    name: builtIn.name,
    version,
    created: outcome === 'created',
    outcome,
    revision: builtIn.revision,
    heldRevision: held?.revision ?? null,
  });

  if (!existing) {
    const record = await save(seeding, builtIn, { mode: 'create' });
    return report('created', record.version);
  }
  const state = builtInState(existing.version, held, builtIn.revision);
  switch (state) {
    case 'tenants_own':
      return report('taken', existing.version);
    case 'edited':
      if (held && held.revision < builtIn.revision) {
        seeding.logger?.warn(
          {
            tenantId,
            workflow: builtIn.name,
            version: existing.version,
            builtInVersion: held.version,
            heldRevision: held.revision,
            revision: builtIn.revision,
          },
          'built-in workflow edited by its tenant: its newer revision is not applied',
        );
      }
      return report('edited', existing.version);
    case 'newer':
    case 'current':
      return report(state, existing.version);
    case 'outdated':
      break;
    default:
      return assertNever(state, 'built-in state');
  }
  if (isDeepStrictEqual(existing.definition, JSON.parse(JSON.stringify(builtIn.definition)))) {
    // The older revision's definition is this one's (a legacy row, or a change elsewhere): nothing to save.
    await em.fork().transactional((tx) => recordRevision(transactionQueryable(tx), tenantId, builtIn, existing.version));
    return report('current', existing.version);
  }

  const record = await save(seeding, builtIn, { mode: 'update', replaces: existing });
  return report('upgraded', record.version);
}

/**
 * Saves the built-in and records its revision in the same transaction. An upgrade makes sure it stands
 * on the version it read (an edit saved in between would be written over: CONFLICT, then decided again)
 * and leaves a deactivated workflow deactivated.
 */
async function save(
  seeding: Seeding,
  builtIn: BuiltInWorkflow,
  how: { mode: 'create' } | { mode: 'update'; replaces: WorkflowRecord },
): Promise<WorkflowRecord> {
  const { tenantId } = seeding;
  return seeding.engine.workflows.save(
    {
      tenantId,
      name: builtIn.name,
      description: builtIn.description,
      tags: builtIn.tags,
      definition: builtIn.definition as unknown as JsonObject,
      mode: how.mode,
    },
    {
      inTransaction: async (db, saved) => {
        if (how.mode === 'update') {
          const from = how.replaces.version;
          if (saved.version !== from && saved.version !== from + 1) {
            throw new AppError('CONFLICT', `built-in workflow "${builtIn.name}" was saved by someone else during its upgrade`, {
              retryable: true,
            });
          }
          if (!how.replaces.active) await db.query('update workflows set active = false where id = $1', [saved.workflowId]);
        }
        await recordRevision(db, tenantId, builtIn, saved.version);
      },
    },
  );
}
