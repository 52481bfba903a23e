/**
 * Entities of the domain services (leads, quotes, orders, subscriptions, licenses, tickets, IP pools…).
 * Each service's entities are added here; `Customer` is shared and lives with the core entities.
 */
export const DOMAIN_ENTITIES: Function[] = [];
