import type { ServiceMethod } from '../registry.js';
import { validateInput } from './activation-input.js';
import { compileResult } from './activation-result.js';
import { createBuiltinCopilot, type CopilotPort } from './copilot-port.js';
import { createEnableCopilots } from './copilots.js';
import { applyIndustryPreset } from './industry-preset.js';
import { createProvisionInfrastructure, createRemoveInfrastructure } from './infrastructure.js';
import { createConfigureIntegrations } from './integrations.js';
import { createRecordedKubernetes, type KubernetesPort } from './kubernetes-port.js';
import { createConfigureDns, removeResources, setupDataStores } from './recorded-resources.js';
import { seedTenantData } from './seed-data.js';
import { createTenantIdentity, suspendTenantIdentity } from './tenant-identity.js';

export { createKubernetesHttp } from './kubernetes-http.js';
export { createOpenAiCopilot } from './openai-copilot.js';
export type { CopilotPort, KubernetesPort };

/** What business_activation needs from outside; every part has a default that needs no configuration. */
export interface ActivationServiceDeps {
  /** Default: recorded only (no cluster). */
  kubernetes?: KubernetesPort;
  /** Default: the built-in responder (no model). */
  copilot?: CopilotPort;
  /** Where this deployment is reached: the payment webhooks' URL. */
  publicUrl?: string | undefined;
}

/** The activation service's methods (business_activation, seed 003 §1), undos included. */
export function createActivationServiceMethods(deps: ActivationServiceDeps, tenantDomain: string): ServiceMethod[] {
  const kubernetes = deps.kubernetes ?? createRecordedKubernetes();
  const copilot = deps.copilot ?? createBuiltinCopilot();
  const methods = [
    validateInput,
    createTenantIdentity,
    suspendTenantIdentity,
    applyIndustryPreset,
    createProvisionInfrastructure(kubernetes),
    createRemoveInfrastructure(kubernetes),
    setupDataStores,
    createConfigureIntegrations(deps.publicUrl),
    seedTenantData,
    createConfigureDns(tenantDomain),
    removeResources,
    createEnableCopilots(kubernetes, copilot),
    compileResult,
  ];
  return methods as ServiceMethod[];
}
