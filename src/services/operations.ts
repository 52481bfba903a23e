import type { ServiceMethod } from './registry.js';

/** What the operations services (communications, notifications, ticketing, network, radius, genieacs) need from outside. */
export interface OperationsServiceDeps {}

/** The operations services' methods, for the registry. */
export function createOperationsServiceMethods(_deps: OperationsServiceDeps): ServiceMethod[] {
  return [];
}
