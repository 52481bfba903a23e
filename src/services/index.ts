import { createActivationServiceMethods, type ActivationServiceDeps } from './activation/index.js';
import { createCommercialServiceMethods, DEFAULT_DEPLOYMENT_SETTINGS, type CommercialServiceDeps } from './commercial.js';
import { createOperationsServiceMethods, type OperationsServiceDeps } from './operations.js';
import { createPaymentServiceMethods, type PaymentServiceDeps } from './payments/index.js';
import type { ServiceMethod } from './registry.js';

export type DomainServiceDeps = CommercialServiceDeps & OperationsServiceDeps & PaymentServiceDeps & ActivationServiceDeps;

/** Every domain service method the built-in workflows (and users' own) can call. */
export function createDomainServiceMethods(deps: DomainServiceDeps): ServiceMethod[] {
  const tenantDomain = deps.deployment?.tenantDomain ?? DEFAULT_DEPLOYMENT_SETTINGS.tenantDomain;
  return [
    ...createCommercialServiceMethods(deps),
    ...createOperationsServiceMethods(deps),
    ...createPaymentServiceMethods(deps),
    ...createActivationServiceMethods(deps, tenantDomain),
  ];
}
