import { z } from 'zod';
import { ActivationResource } from '../../entities/domain/activation-resource.entity.js';
import { uuid } from '../commercial/schemas.js';
import { defineServiceMethod } from '../registry.js';
import { CHANNELS } from './activation-input.js';
import { activationOf, recordResources, retireResources, type ResourceSpec } from './activation-records.js';
import { RECORDED, type DnsPort, type DnsRecord } from './data-store-ports.js';

/**
 * The business's records: its domain and `api` pointing at the platform's ingress, `www` at its domain;
 * with the e-mail channel MX, SPF, DKIM's selector and DMARC. The domain itself takes an ALIAS, not a
 * CNAME: a CNAME may not stand beside the MX and TXT records a mail domain needs there (RFC 1034 §3.6.2).
 */
export function dnsRecordsOf(domain: string, tenantDomain: string, email: boolean): DnsRecord[] {
  const ingress = `ingress.${tenantDomain}`;
  const records: DnsRecord[] = [
    { type: 'ALIAS', name: domain, value: ingress },
    { type: 'CNAME', name: `www.${domain}`, value: domain },
    { type: 'CNAME', name: `api.${domain}`, value: ingress },
  ];
  if (email) {
    records.push(
      { type: 'MX', name: domain, value: `10 mx.${tenantDomain}` },
      { type: 'TXT', name: domain, value: `v=spf1 include:_spf.${tenantDomain} ~all` },
      { type: 'CNAME', name: `switchyard._domainkey.${domain}`, value: `dkim.${tenantDomain}` },
      { type: 'TXT', name: `_dmarc.${domain}`, value: `v=DMARC1; p=quarantine; rua=mailto:dmarc@${domain}` },
    );
  }
  return records;
}

const dnsRecord = z.object({ type: z.enum(['ALIAS', 'CNAME', 'MX', 'TXT']), name: z.string(), value: z.string() });

/**
 * activation.configureDns(activationId, channels, domain?) → {provider, target, applied, domain, records, certificate}
 *
 * Seed 003 §1 step 9: the business's DNS records written through the DNS port (PowerDNS's API, or —
 * none configured — recorded only), and the TLS certificate to request for its names (recorded: no ACME
 * client here, `issued: false`).
 */
export function createConfigureDns(tenantDomain: string, dns: DnsPort) {
  return defineServiceMethod({
    service: 'activation',
    method: 'configureDns',
    description: "Writes the business's DNS records and records its TLS certificate.",
    effects: 'external',
    input: z.object({ activationId: uuid, channels: z.array(z.enum(CHANNELS)).min(1), domain: z.hostname().nullish() }),
    async run(ctx, input) {
      const { activation, tenant } = await activationOf(ctx, input.activationId);
      const domain = input.domain ?? `${tenant.slug}.${tenantDomain}`;
      const records = dnsRecordsOf(domain, tenantDomain, input.channels.includes('email'));
      await dns.upsertRecords(ctx, records);
      const names = [domain, `www.${domain}`, `api.${domain}`];
      await recordResources(
        ctx,
        activation,
        dns.name,
        records.map((record): ResourceSpec => ({ kind: 'dns_record', name: `${record.type} ${record.name}`, details: { ...record } })),
      );
      await recordResources(ctx, activation, RECORDED, [{ kind: 'certificate', name: domain, details: { issuer: 'letsencrypt', names } }]);
      return {
        provider: dns.name,
        target: dns.target,
        applied: dns.name !== RECORDED,
        domain,
        records: records.map((record) => ({ ...record })),
        certificate: { issuer: 'letsencrypt', names, issued: false },
      };
    },
  });
}

/**
 * activation.removeDns(activationId) → {deleted, removed}
 *
 * The undo of configureDns: the records it wrote (as its rows hold them) deleted through the DNS port,
 * the rows marked removed.
 */
export function createRemoveDns(dns: DnsPort) {
  return defineServiceMethod({
    service: 'activation',
    method: 'removeDns',
    description: "Deletes the business's DNS records and its certificate's record.",
    effects: 'external',
    input: z.object({ activationId: uuid }),
    async run(ctx, input) {
      const { activation } = await activationOf(ctx, input.activationId);
      const rows = await ctx.em.find(ActivationResource, { activation, kind: 'dns_record', status: 'provisioned' });
      const records = rows.map((row) => dnsRecord.parse(row.details));
      await dns.deleteRecords(ctx, records);
      return { deleted: records.length, removed: await retireResources(ctx, activation, ['dns_record', 'certificate']) };
    },
  });
}
