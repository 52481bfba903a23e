import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261202200000_webhook_secrets } from './Migration20261202200000_webhook_secrets.js';

/** Migrations of integrations (inbound webhooks). Names start with a UTC timestamp: they run in name order with all others. */
export const INTEGRATION_MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261202200000_webhook_secrets', class: Migration20261202200000_webhook_secrets },
];
