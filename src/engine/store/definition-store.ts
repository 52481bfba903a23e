import type { JsonObject } from '../../entities/json.js';
import type { Queryable } from '../../infra/queryable.js';
import { LOAD_DEFINITION } from './sql.js';

/** Workflows' definitions and names as the engine's definition cache and catalog read them. */

export async function loadDefinition(db: Queryable, workflowId: string, version: number): Promise<JsonObject | undefined> {
  const [row] = await db.query<{ definition: JsonObject }>(LOAD_DEFINITION, [workflowId, version]);
  return row?.definition;
}

export async function workflowName(db: Queryable, workflowId: string): Promise<string | undefined> {
  const [row] = await db.query<{ name: string }>('select name from workflows where id = $1', [workflowId]);
  return row?.name;
}

/** The workflow version a tenant's execution runs on. */
export async function executionVersion(
  db: Queryable,
  executionId: string,
  tenantId: string,
): Promise<{ workflowId: string; version: number } | undefined> {
  const [row] = await db.query<{ workflow_id: string; workflow_version: number }>(
    'select workflow_id, workflow_version from executions where id = $1 and tenant_id = $2',
    [executionId, tenantId],
  );
  return row && { workflowId: row.workflow_id, version: row.workflow_version };
}

/** Each of the tenant's workflows with its current version's definition. */
export async function currentDefinitions(db: Queryable, tenantId: string): Promise<Array<{ name: string; definition: JsonObject }>> {
  return db.query<{ name: string; definition: JsonObject }>(
    `select w.name, v.definition from workflows w join workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
     where w.tenant_id = $1`,
    [tenantId],
  );
}
