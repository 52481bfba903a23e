import { createCommercialServiceMethods, type CommercialServiceDeps } from './commercial.js';
import { createOperationsServiceMethods, type OperationsServiceDeps } from './operations.js';
import type { ServiceMethod } from './registry.js';

export type DomainServiceDeps = CommercialServiceDeps & OperationsServiceDeps;

/** Every domain service method the built-in workflows (and users' own) can call. */
export function createDomainServiceMethods(deps: DomainServiceDeps): ServiceMethod[] {
  return [...createCommercialServiceMethods(deps), ...createOperationsServiceMethods(deps)];
}
