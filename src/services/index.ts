import { createCommercialServiceMethods, type CommercialServiceDeps } from './commercial.js';
import { createOperationsServiceMethods, type OperationsServiceDeps } from './operations.js';
import { createPaymentServiceMethods, type PaymentServiceDeps } from './payments/index.js';
import type { ServiceMethod } from './registry.js';

export type DomainServiceDeps = CommercialServiceDeps & OperationsServiceDeps & PaymentServiceDeps;

/** Every domain service method the built-in workflows (and users' own) can call. */
export function createDomainServiceMethods(deps: DomainServiceDeps): ServiceMethod[] {
  return [...createCommercialServiceMethods(deps), ...createOperationsServiceMethods(deps), ...createPaymentServiceMethods(deps)];
}
