import type { MigrationObject } from '@mikro-orm/core';
import { AUTH_MIGRATIONS } from './auth/index.js';
import { DOMAIN_MIGRATIONS } from './domain/index.js';
import { INTEGRATION_MIGRATIONS } from './integrations/index.js';
import { Migration20261122000000_foundation } from './Migration20261122000000_foundation.js';
import { Migration20261122010000_customers_service_calls } from './Migration20261122010000_customers_service_calls.js';
import { Migration20261122040000_engine_runtime } from './Migration20261122040000_engine_runtime.js';
import { Migration20261122100000_triggers } from './Migration20261122100000_triggers.js';
import { Migration20261122110000_wait_event_index } from './Migration20261122110000_wait_event_index.js';
import { Migration20261202000000_no_notify_on_commit } from './Migration20261202000000_no_notify_on_commit.js';
import { Migration20261202110000_workflow_version_labels } from './Migration20261202110000_workflow_version_labels.js';
import { Migration20261202120000_run_queue_in_executions } from './Migration20261202120000_run_queue_in_executions.js';
import { Migration20261202160000_execution_origin } from './Migration20261202160000_execution_origin.js';
import { Migration20261203000000_approvals } from './Migration20261203000000_approvals.js';
import { Migration20261203100000_domain_event_trace } from './Migration20261203100000_domain_event_trace.js';
import { Migration20261203200000_flow_control } from './Migration20261203200000_flow_control.js';
import { Migration20261203210000_schedule_priority } from './Migration20261203210000_schedule_priority.js';
import { Migration20261203220000_tenant_concurrency_limit } from './Migration20261203220000_tenant_concurrency_limit.js';
import { Migration20261203300000_record_lineage } from './Migration20261203300000_record_lineage.js';
import { Migration20261203400000_lineage_commercial_records } from './Migration20261203400000_lineage_commercial_records.js';
import { Migration20261204010000_built_in_revisions } from './Migration20261204010000_built_in_revisions.js';
import { Migration20261204031800_wait_events_since } from './Migration20261204031800_wait_events_since.js';
import { Migration20261204040000_authored_definitions } from './Migration20261204040000_authored_definitions.js';
import { Migration20261204170000_steps_without_execution_fk } from './Migration20261204170000_steps_without_execution_fk.js';
import { Migration20261205030000_steps_keyed_by_run } from './Migration20261205030000_steps_keyed_by_run.js';

/** Core migrations: engine tables, tenants, users, customers. */
const CORE_MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261122000000_foundation', class: Migration20261122000000_foundation },
  { name: 'Migration20261122010000_customers_service_calls', class: Migration20261122010000_customers_service_calls },
  { name: 'Migration20261122040000_engine_runtime', class: Migration20261122040000_engine_runtime },
  { name: 'Migration20261122100000_triggers', class: Migration20261122100000_triggers },
  { name: 'Migration20261122110000_wait_event_index', class: Migration20261122110000_wait_event_index },
  { name: 'Migration20261202000000_no_notify_on_commit', class: Migration20261202000000_no_notify_on_commit },
  { name: 'Migration20261202110000_workflow_version_labels', class: Migration20261202110000_workflow_version_labels },
  { name: 'Migration20261202120000_run_queue_in_executions', class: Migration20261202120000_run_queue_in_executions },
  { name: 'Migration20261202160000_execution_origin', class: Migration20261202160000_execution_origin },
  { name: 'Migration20261203000000_approvals', class: Migration20261203000000_approvals },
  { name: 'Migration20261203100000_domain_event_trace', class: Migration20261203100000_domain_event_trace },
  { name: 'Migration20261203200000_flow_control', class: Migration20261203200000_flow_control },
  { name: 'Migration20261203210000_schedule_priority', class: Migration20261203210000_schedule_priority },
  { name: 'Migration20261203220000_tenant_concurrency_limit', class: Migration20261203220000_tenant_concurrency_limit },
  { name: 'Migration20261203300000_record_lineage', class: Migration20261203300000_record_lineage },
  { name: 'Migration20261203400000_lineage_commercial_records', class: Migration20261203400000_lineage_commercial_records },
  { name: 'Migration20261204010000_built_in_revisions', class: Migration20261204010000_built_in_revisions },
  { name: 'Migration20261204031800_wait_events_since', class: Migration20261204031800_wait_events_since },
  { name: 'Migration20261204040000_authored_definitions', class: Migration20261204040000_authored_definitions },
  { name: 'Migration20261204170000_steps_without_execution_fk', class: Migration20261204170000_steps_without_execution_fk },
  { name: 'Migration20261205030000_steps_keyed_by_run', class: Migration20261205030000_steps_keyed_by_run },
];

/**
 * Every migration, applied in name order (names start with a UTC timestamp). Listed explicitly so the
 * compiled build needs no file globbing.
 */
export const MIGRATIONS: MigrationObject[] = [...CORE_MIGRATIONS, ...DOMAIN_MIGRATIONS, ...AUTH_MIGRATIONS, ...INTEGRATION_MIGRATIONS].sort(
  (a, b) => a.name.localeCompare(b.name),
);
