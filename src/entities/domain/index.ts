import { ACTIVATION_ENTITIES } from './activation.js';
import { COMMERCIAL_ENTITIES } from './commercial.js';
import { OPERATIONS_ENTITIES } from './operations.js';
import { PAYMENT_ENTITIES } from './payments.js';
import type { EntityClass } from '../entity-class.js';

/**
 * Entities of the domain services (leads, quotes, orders, subscriptions, licenses, tickets, IP pools…).
 * Each service's entities are added here; `Customer` is shared and lives with the core entities.
 */
export const DOMAIN_ENTITIES: EntityClass[] = [...COMMERCIAL_ENTITIES, ...OPERATIONS_ENTITIES, ...PAYMENT_ENTITIES, ...ACTIVATION_ENTITIES];
