import type { EntityManager } from '@mikro-orm/postgresql';
import type { Engine } from '../engine/index.js';
import type { JsonObject } from '../entities/json.js';
import { builtInWorkflows } from './catalog.js';

export interface SeededWorkflow {
  name: string;
  version: number;
  /** False: a workflow of that name was already there and was left as it is. */
  created: boolean;
}

/**
 * Saves the five built-in workflows into a tenant, each through `engine.workflows.save` (which validates
 * services, params, references and triggers). A workflow of that name already there is left alone — it
 * may be a version someone edited — so seeding twice changes nothing. `em` reads the tenant's workflows
 * (it is forked).
 */
export async function seedBuiltInWorkflows(engine: Engine, tenantId: string, options: { em: EntityManager }): Promise<SeededWorkflow[]> {
  const seeded: SeededWorkflow[] = [];
  const present = new Map((await engine.workflows.list(options.em.fork(), { tenantId })).map((record) => [record.name, record]));
  for (const workflow of builtInWorkflows({ tenantId })) {
    const existing = present.get(workflow.name);
    if (existing) {
      seeded.push({ name: workflow.name, version: existing.version, created: false });
      continue;
    }
    const record = await engine.workflows.save({
      tenantId,
      name: workflow.name,
      description: workflow.description,
      tags: workflow.tags,
      definition: workflow.definition as unknown as JsonObject,
    });
    seeded.push({ name: workflow.name, version: record.version, created: true });
  }
  return seeded;
}
