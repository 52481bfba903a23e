import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122020000_commercial } from './Migration20261122020000_commercial.js';
import { Migration20261122030000_operations } from './Migration20261122030000_operations.js';
import { Migration20261202110000_released_service_keys } from './Migration20261202110000_released_service_keys.js';
import { Migration20261202210000_payment_processing } from './Migration20261202210000_payment_processing.js';
import { Migration20261202220000_opportunities } from './Migration20261202220000_opportunities.js';
import { Migration20261202230000_business_activation } from './Migration20261202230000_business_activation.js';
import { Migration20261203100000_payment_refunds } from './Migration20261203100000_payment_refunds.js';
import { Migration20261204000000_stalled_scan_index } from './Migration20261204000000_stalled_scan_index.js';

/** Migrations of the domain services' tables. Names start with a UTC timestamp: they run in name order with all others. */
export const DOMAIN_MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261122020000_commercial', class: Migration20261122020000_commercial },
  { name: 'Migration20261122030000_operations', class: Migration20261122030000_operations },
  { name: 'Migration20261202110000_released_service_keys', class: Migration20261202110000_released_service_keys },
  { name: 'Migration20261202210000_payment_processing', class: Migration20261202210000_payment_processing },
  { name: 'Migration20261202220000_opportunities', class: Migration20261202220000_opportunities },
  { name: 'Migration20261202230000_business_activation', class: Migration20261202230000_business_activation },
  { name: 'Migration20261203100000_payment_refunds', class: Migration20261203100000_payment_refunds },
  { name: 'Migration20261204000000_stalled_scan_index', class: Migration20261204000000_stalled_scan_index },
];
