import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122090000_api_keys_tenant_policies } from './Migration20261122090000_api_keys_tenant_policies.js';
import { Migration20261202130000_users_tokens_audit_log } from './Migration20261202130000_users_tokens_audit_log.js';
import { Migration20261202140000_platform_admin_tenant_suspension } from './Migration20261202140000_platform_admin_tenant_suspension.js';
import { Migration20261202150000_audit_workflow_version } from './Migration20261202150000_audit_workflow_version.js';
import { Migration20261202170000_user_session_generation } from './Migration20261202170000_user_session_generation.js';
import { Migration20261202180000_tenant_held_runs } from './Migration20261202180000_tenant_held_runs.js';

/** Migrations of authentication and authorisation. Names start with a UTC timestamp: they run in name order with all others. */
export const AUTH_MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261122090000_api_keys_tenant_policies', class: Migration20261122090000_api_keys_tenant_policies },
  { name: 'Migration20261202130000_users_tokens_audit_log', class: Migration20261202130000_users_tokens_audit_log },
  { name: 'Migration20261202140000_platform_admin_tenant_suspension', class: Migration20261202140000_platform_admin_tenant_suspension },
  { name: 'Migration20261202150000_audit_workflow_version', class: Migration20261202150000_audit_workflow_version },
  { name: 'Migration20261202170000_user_session_generation', class: Migration20261202170000_user_session_generation },
  { name: 'Migration20261202180000_tenant_held_runs', class: Migration20261202180000_tenant_held_runs },
];
