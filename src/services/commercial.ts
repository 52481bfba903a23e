import type { ServiceMethod } from './registry.js';

/** What the commercial services (customer, crm, sales, billing, license, partner, deployment) need from outside. */
export interface CommercialServiceDeps {}

/** The commercial services' methods, for the registry. */
export function createCommercialServiceMethods(_deps: CommercialServiceDeps): ServiceMethod[] {
  return [];
}
