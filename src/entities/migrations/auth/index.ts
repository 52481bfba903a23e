import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122090000_api_keys_tenant_policies } from './Migration20261122090000_api_keys_tenant_policies.js';

/** Migrations of authentication and authorisation. Names start with a UTC timestamp: they run in name order with all others. */
export const AUTH_MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261122090000_api_keys_tenant_policies', class: Migration20261122090000_api_keys_tenant_policies },
];
