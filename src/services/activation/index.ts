import type { ServiceMethod } from '../registry.js';
import { validateInput } from './activation-input.js';
import { compileResult } from './activation-result.js';
import { createBuiltinCopilot, type CopilotPort } from './copilot-port.js';
import { createEnableCopilots } from './copilots.js';
import { applyIndustryPreset } from './industry-preset.js';
import { createCreateNamespace, createProvisionInfrastructure, createRemoveInfrastructure } from './infrastructure.js';
import { createConfigureIntegrations } from './integrations.js';
import { createRecordedKubernetes, type KubernetesPort } from './kubernetes-port.js';
import { createRecordedDataStores, type BucketPort, type DatabasePort, type DnsPort } from './data-store-ports.js';
import { createRemoveDataStores, createSetupDataStores, removeResources } from './data-stores.js';
import type { CertificateIssuer } from './certificates.js';
import { createConfigureDns, createRemoveDns } from './dns.js';
import { seedTenantData } from './seed-data.js';
import { createTenantIdentity, suspendTenantIdentity } from './tenant-identity.js';

export { createKubernetesHttp } from './kubernetes-http.js';
export { createOpenAiCopilot } from './openai-copilot.js';
export { createPostgresSchemas } from './postgres-schemas.js';
export { createPowerDns } from './powerdns-http.js';
export { createS3Buckets } from './s3-buckets.js';
export type { BucketPort, CertificateIssuer, CopilotPort, DatabasePort, DnsPort, KubernetesPort };

/** What business_activation needs from outside; every part has a default that needs no configuration. */
export interface ActivationServiceDeps {
  /** Default: recorded only (no cluster). */
  kubernetes?: KubernetesPort;
  /** Default: the built-in responder (no model). */
  copilot?: CopilotPort;
  /** Default: recorded only (no tenant database). */
  databases?: DatabasePort;
  /** Default: recorded only (no object store). */
  buckets?: BucketPort;
  /** Default: recorded only (no DNS API). */
  dns?: DnsPort;
  /** cert-manager's issuer of the businesses' certificates (with `kubernetes`); default: certificates recorded only. */
  certificateIssuer?: CertificateIssuer | undefined;
  /** Where this deployment is reached: the payment webhooks' URL. */
  publicUrl?: string | undefined;
}

/** The activation service's methods (business_activation, seed 003 §1), undos included. */
export function createActivationServiceMethods(deps: ActivationServiceDeps, tenantDomain: string): ServiceMethod[] {
  const kubernetes = deps.kubernetes ?? createRecordedKubernetes();
  const copilot = deps.copilot ?? createBuiltinCopilot();
  const recorded = createRecordedDataStores();
  const databases = deps.databases ?? recorded.databases;
  const buckets = deps.buckets ?? recorded.buckets;
  const dns = deps.dns ?? recorded.dns;
  const methods = [
    validateInput,
    createTenantIdentity,
    suspendTenantIdentity,
    applyIndustryPreset,
    createCreateNamespace(kubernetes),
    createProvisionInfrastructure(kubernetes),
    createRemoveInfrastructure(kubernetes),
    createSetupDataStores(databases, buckets),
    createRemoveDataStores(databases, buckets),
    createConfigureIntegrations(deps.publicUrl),
    seedTenantData,
    createConfigureDns(tenantDomain, dns, kubernetes, deps.certificateIssuer),
    createRemoveDns(dns, kubernetes),
    removeResources,
    createEnableCopilots(kubernetes, copilot),
    compileResult,
  ];
  return methods as ServiceMethod[];
}
