import { z } from 'zod';
import { ACTIVATION_RESOURCE_KINDS } from '../../entities/domain/activation-resource.entity.js';
import type { Tenant } from '../../entities/tenant.entity.js';
import { uuid } from '../shared/schemas.js';
import { defineServiceMethod } from '../registry.js';
import { activationOf, namespaceOf, recordResources, retireResources, type ResourceSpec } from './activation-records.js';
import { RECORDED, type BucketPort, type DatabasePort, type ExternalCallContext, type SchemaSpec } from './data-store-ports.js';

/** The tenant's schema `tenant_<slug>`, owned by the NOLOGIN role `tenant_<slug>_owner`. */
function schemaOf(tenant: Tenant): SchemaSpec {
  const schema = `tenant_${tenant.slug.replace(/-/g, '_')}`.slice(0, 57);
  return { schema, role: `${schema}_owner` };
}

const bucketsOf = (tenant: Tenant) => [`${namespaceOf(tenant)}-files`, `${namespaceOf(tenant)}-backups`];

/**
 * activation.setupDataStores(activationId) → {databaseSchema, database, cacheNamespace, buckets, bucketStore}
 *
 * Seed 003 §1 step 5: the tenant's database schema and its owner role through the database port
 * (PostgreSQL, or recorded only), its buckets `tenant-<slug>-files` and `-backups` through the bucket port
 * (an S3-compatible store, or recorded only), and its cache key prefix `tenant:<id>:` (a Redis prefix is
 * made by use: only named). Idempotent: what exists already counts as made. All or nothing: a bucket
 * refused or unreachable undoes what this call made before the step fails (a failed step is not
 * compensated, and a retry makes it again). `database` and `bucketStore`
 * say which system made them (`provider`, `target`) or that nothing was (`recorded`, `applied: false`).
 */
export function createSetupDataStores(databases: DatabasePort, buckets: BucketPort) {
  return defineServiceMethod({
    service: 'activation',
    method: 'setupDataStores',
    description: "Creates the business's database schema and buckets, and names its cache namespace.",
    effects: 'external',
    input: z.object({ activationId: uuid }),
    async run(ctx, input) {
      const { activation, tenant } = await activationOf(ctx, input.activationId);
      const spec = schemaOf(tenant);
      const cache = `tenant:${tenant.id}:`;
      const schema = await databases.createSchema(ctx, spec);
      const made: Array<{ name: string; created: boolean }> = [];
      try {
        for (const bucket of bucketsOf(tenant)) made.push({ name: bucket, ...(await buckets.createBucket(ctx, bucket)) });
      } catch (error) {
        // A failed step is not compensated: what this call made goes now, so a failure leaves nothing behind.
        await undoMade(ctx, databases, buckets, schema.created ? spec : undefined, made);
        throw error;
      }
      await recordResources(ctx, activation, databases.name, [
        { kind: 'database_schema', name: spec.schema, details: { engine: 'postgresql', role: spec.role, target: databases.target } },
      ]);
      await recordResources(ctx, activation, RECORDED, [{ kind: 'cache_namespace', name: cache, details: { engine: 'redis' } }]);
      await recordResources(
        ctx,
        activation,
        buckets.name,
        made.map((bucket): ResourceSpec => ({ kind: 'bucket', name: bucket.name, details: { api: 's3', target: buckets.target } })),
      );
      return {
        databaseSchema: spec.schema,
        database: {
          provider: databases.name,
          target: databases.target,
          applied: databases.name !== RECORDED,
          role: spec.role,
          created: schema.created,
        },
        cacheNamespace: cache,
        buckets: made.map((bucket) => bucket.name),
        bucketStore: {
          provider: buckets.name,
          target: buckets.target,
          applied: buckets.name !== RECORDED,
          created: made.filter((bucket) => bucket.created).map((bucket) => bucket.name),
        },
      };
    },
  });
}

/** Best effort: the failure reported is the one that stopped the step; a leftover an undo could not remove is taken as made by the next attempt (a bucket of ours, a schema that exists). */
async function undoMade(
  ctx: ExternalCallContext,
  databases: DatabasePort,
  buckets: BucketPort,
  schema: SchemaSpec | undefined,
  made: ReadonlyArray<{ name: string; created: boolean }>,
): Promise<void> {
  for (const bucket of made.filter((each) => each.created).reverse()) await buckets.deleteBucket(ctx, bucket.name).catch(() => undefined);
  if (schema) await databases.dropSchema(ctx, schema).catch(() => undefined);
}

/**
 * activation.removeDataStores(activationId) → {schemaDropped, bucketsDeleted, removed}
 *
 * The undo of setupDataStores: the buckets deleted (refused if someone put data in them since), the
 * schema dropped with all it holds and its role; what is gone already is not an error.
 */
export function createRemoveDataStores(databases: DatabasePort, buckets: BucketPort) {
  return defineServiceMethod({
    service: 'activation',
    method: 'removeDataStores',
    description: "Deletes the business's buckets and drops its database schema.",
    effects: 'external',
    input: z.object({ activationId: uuid }),
    async run(ctx, input) {
      const { activation, tenant } = await activationOf(ctx, input.activationId);
      const deleted: string[] = [];
      for (const bucket of bucketsOf(tenant)) if ((await buckets.deleteBucket(ctx, bucket)).deleted) deleted.push(bucket);
      const { dropped } = await databases.dropSchema(ctx, schemaOf(tenant));
      const removed = await retireResources(ctx, activation, ['database_schema', 'cache_namespace', 'bucket']);
      return { schemaDropped: dropped, bucketsDeleted: deleted, removed };
    },
  });
}

/**
 * activation.removeResources(activationId, kinds) → {removed}
 *
 * The undo of what exists as our rows only (integrations): their rows marked removed.
 */
export const removeResources = defineServiceMethod({
  service: 'activation',
  method: 'removeResources',
  description: "Marks an activation's recorded resources of the given kinds removed.",
  effects: 'local',
  input: z.object({ activationId: uuid, kinds: z.array(z.enum(ACTIVATION_RESOURCE_KINDS)).min(1) }),
  async run(ctx, input) {
    const { activation } = await activationOf(ctx, input.activationId);
    return { removed: await retireResources(ctx, activation, input.kinds) };
  },
});
