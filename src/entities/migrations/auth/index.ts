import type { MigrationObject } from '@mikro-orm/core';

/** Migrations of authentication and authorisation. Names start with a UTC timestamp: they run in name order with all others. */
export const AUTH_MIGRATIONS: MigrationObject[] = [];
