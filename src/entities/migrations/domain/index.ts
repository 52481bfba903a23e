import type { MigrationObject } from '@mikro-orm/core';

/** Migrations of the domain services' tables. Names start with a UTC timestamp: they run in name order with all others. */
export const DOMAIN_MIGRATIONS: MigrationObject[] = [];
