import { z } from 'zod';
import { ActivationResource } from '../../entities/domain/activation-resource.entity.js';
import { uuid } from '../shared/schemas.js';
import { defineServiceMethod } from '../registry.js';
import { CHANNELS } from './activation-input.js';
import { activationOf, recordResources, retireResources, type ResourceSpec } from './activation-records.js';
import { removeCertificate, requestCertificate, type CertificateIssuer } from './certificates.js';
import { RECORDED, type DnsPort, type DnsRecord } from './data-store-ports.js';
import type { KubernetesPort } from './kubernetes-port.js';

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
 * Seed 003 §1 step 9: the TLS certificate for the business's names — a cert-manager `Certificate` through
 * the Kubernetes port when a cluster and an issuer are configured, else recorded (certificates.ts) — then
 * its DNS records written through the DNS port (PowerDNS's API, or — none configured — recorded only).
 */
export function createConfigureDns(tenantDomain: string, dns: DnsPort, kubernetes: KubernetesPort, issuer: CertificateIssuer | undefined) {
  return defineServiceMethod({
    service: 'activation',
    method: 'configureDns',
    description: "Requests the business's TLS certificate (cert-manager) and writes its DNS records.",
    effects: 'external',
    input: z.object({ activationId: uuid, channels: z.array(z.enum(CHANNELS)).min(1), domain: z.hostname().nullish() }),
    output: z.looseObject({
      provider: z.string(),
      target: z.string(),
      applied: z.boolean(),
      domain: z.string(),
      records: z.array(z.looseObject({ type: z.string(), name: z.string(), value: z.string() })),
      // Recorded only (no issuer or cluster) or a cert-manager Certificate: what both answer (certificates.ts).
      certificate: z.looseObject({ provider: z.string(), applied: z.boolean(), names: z.array(z.string()), issued: z.boolean() }),
    }),
    async run(ctx, input) {
      const { activation, tenant } = await activationOf(ctx, input.activationId);
      const domain = input.domain ?? `${tenant.slug}.${tenantDomain}`;
      const records = dnsRecordsOf(domain, tenantDomain, input.channels.includes('email'));
      const names = [domain, `www.${domain}`, `api.${domain}`];
      const certificate = await requestCertificate(ctx, kubernetes, issuer, { activation, tenant, domain, names });
      await dns.upsertRecords(ctx, records);
      await recordResources(
        ctx,
        activation,
        dns.name,
        records.map((record): ResourceSpec => ({ kind: 'dns_record', name: `${record.type} ${record.name}`, details: { ...record } })),
      );
      return {
        provider: dns.name,
        target: dns.target,
        applied: dns.name !== RECORDED,
        domain,
        records: records.map((record) => ({ ...record })),
        certificate,
      };
    },
  });
}

/**
 * activation.removeDns(activationId) → {deleted, certificateDeleted, removed}
 *
 * The undo of configureDns: the records it wrote (as its rows hold them) deleted through the DNS port,
 * its Certificate through the Kubernetes port, the rows marked removed.
 */
export function createRemoveDns(dns: DnsPort, kubernetes: KubernetesPort) {
  return defineServiceMethod({
    service: 'activation',
    method: 'removeDns',
    description: "Deletes the business's DNS records and its certificate.",
    effects: 'external',
    input: z.object({ activationId: uuid }),
    async run(ctx, input) {
      const { activation, tenant } = await activationOf(ctx, input.activationId);
      const rows = await ctx.em.find(ActivationResource, { activation, kind: 'dns_record', status: 'provisioned' });
      const records = rows.map((row) => dnsRecord.parse(row.details));
      await dns.deleteRecords(ctx, records);
      const certificateDeleted = await removeCertificate(ctx, kubernetes, activation, tenant);
      return {
        deleted: records.length,
        certificateDeleted,
        removed: await retireResources(ctx, activation, ['dns_record', 'certificate']),
      };
    },
  });
}
