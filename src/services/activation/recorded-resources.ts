import { z } from 'zod';
import { ACTIVATION_RESOURCE_KINDS } from '../../entities/domain/activation-resource.entity.js';
import { uuid } from '../commercial/schemas.js';
import { defineServiceMethod } from '../registry.js';
import { CHANNELS } from './activation-input.js';
import { activationOf, namespaceOf, recordResources, retireResources, type ResourceSpec } from './activation-records.js';

/**
 * Data stores and DNS have no adapter to a system outside yet: their resources are `recorded` — named,
 * reserved for the tenant and kept as rows, with nothing created anywhere — and the outputs say so
 * (`provider: "recorded"`, `applied: false`). docs/activation.md says what is and is not made.
 */
const RECORDED = 'recorded';

/**
 * activation.setupDataStores(activationId) → {provider, applied, databaseSchema, cacheNamespace, buckets}
 *
 * The tenant's database schema `tenant_<slug>`, its cache key prefix `tenant:<id>:`, and its buckets
 * `tenant-<slug>-files` and `-backups` (seed 003 §1, step 5), recorded.
 */
export const setupDataStores = defineServiceMethod({
  service: 'activation',
  method: 'setupDataStores',
  description: "Names and records the business's database schema, cache namespace and buckets.",
  effects: 'local',
  input: z.object({ activationId: uuid }),
  async run(ctx, input) {
    const { activation, tenant } = await activationOf(ctx, input.activationId);
    const schema = `tenant_${tenant.slug.replace(/-/g, '_')}`;
    const cache = `tenant:${tenant.id}:`;
    const buckets = [`${namespaceOf(tenant)}-files`, `${namespaceOf(tenant)}-backups`];
    const specs: ResourceSpec[] = [
      { kind: 'database_schema', name: schema, details: { engine: 'postgresql' } },
      { kind: 'cache_namespace', name: cache, details: { engine: 'redis' } },
      ...buckets.map((bucket): ResourceSpec => ({ kind: 'bucket', name: bucket, details: { api: 's3' } })),
    ];
    await recordResources(ctx, activation, RECORDED, specs);
    return { provider: RECORDED, applied: false, databaseSchema: schema, cacheNamespace: cache, buckets };
  },
});

/**
 * activation.configureDns(activationId, channels, domain?) → {provider, applied, domain, records, certificate}
 *
 * The tenant's DNS records (seed 003 §1, step 9): its domain (`domain`, or `<slug>.<tenant domain>`) and
 * `www`, `api` pointing at the platform's ingress; with the e-mail channel, MX, SPF, DKIM's selector and
 * DMARC; and the TLS certificate to request for the names. Recorded.
 */
export function createConfigureDns(tenantDomain: string) {
  return defineServiceMethod({
    service: 'activation',
    method: 'configureDns',
    description: "Names and records the business's DNS records and TLS certificate.",
    effects: 'local',
    input: z.object({ activationId: uuid, channels: z.array(z.enum(CHANNELS)).min(1), domain: z.hostname().nullish() }),
    async run(ctx, input) {
      const { activation, tenant } = await activationOf(ctx, input.activationId);
      const domain = input.domain ?? `${tenant.slug}.${tenantDomain}`;
      const ingress = `ingress.${tenantDomain}`;
      const records: Array<{ type: string; name: string; value: string }> = [
        { type: 'CNAME', name: domain, value: ingress },
        { type: 'CNAME', name: `www.${domain}`, value: domain },
        { type: 'CNAME', name: `api.${domain}`, value: ingress },
      ];
      if (input.channels.includes('email')) {
        records.push(
          { type: 'MX', name: domain, value: `10 mx.${tenantDomain}` },
          { type: 'TXT', name: domain, value: `v=spf1 include:_spf.${tenantDomain} ~all` },
          { type: 'CNAME', name: `switchyard._domainkey.${domain}`, value: `dkim.${tenantDomain}` },
          { type: 'TXT', name: `_dmarc.${domain}`, value: `v=DMARC1; p=quarantine; rua=mailto:dmarc@${domain}` },
        );
      }
      const names = [domain, `www.${domain}`, `api.${domain}`];
      const specs: ResourceSpec[] = [
        ...records.map((record): ResourceSpec => ({ kind: 'dns_record', name: `${record.type} ${record.name}`, details: record })),
        { kind: 'certificate', name: domain, details: { issuer: 'letsencrypt', names } },
      ];
      await recordResources(ctx, activation, RECORDED, specs);
      return { provider: RECORDED, applied: false, domain, records, certificate: { issuer: 'letsencrypt', names, issued: false } };
    },
  });
}

/**
 * activation.removeResources(activationId, kinds) → {removed}
 *
 * The undo of the recorded steps (data stores, DNS): their rows marked removed.
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
