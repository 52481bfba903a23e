import { ExecuteWorkflowDocument } from '../../generated/graphql.js';
import { login } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { DEFINITIONS, ok } from './support.js';

/** A server on a database of its own whose admin's tenant has the workflows of DEFINITIONS. */
export interface ExecutionsApi {
  database: TestDatabase;
  server: TestServer;
  headers: Record<string, string>;
  adminUserId: string;
  /** Starts a run of that workflow as the admin. */
  run(name: string, context?: Record<string, unknown>, idempotencyKey?: string): Promise<ExecuteWorkflowResult>;
  stop(): Promise<void>;
}

type ExecuteWorkflowResult = Awaited<ReturnType<typeof executeWorkflow>>;

async function executeWorkflow(server: TestServer, name: string, context: Record<string, unknown>, idempotencyKey?: string) {
  const variables = { name, context, ...(idempotencyKey ? { idempotencyKey } : {}) };
  return ok(await execute(server.url, ExecuteWorkflowDocument, variables, server.adminHeaders)).executeWorkflow;
}

export async function startExecutionsApi(): Promise<ExecutionsApi> {
  const database = await createTestDatabase();
  const server = await startTestServer({ databaseUrl: database.url });
  const adminUserId = (await login(server.url, 'admin@switchyard.local', 'admin-password-for-tests')).userId;
  for (const [name, definition] of Object.entries(DEFINITIONS)) {
    await server.engine.workflows.save({ tenantId: server.adminTenantId, name, definition: JSON.parse(JSON.stringify(definition)) });
  }
  return {
    database,
    server,
    headers: server.adminHeaders,
    adminUserId,
    run: (name, context = {}, idempotencyKey) => executeWorkflow(server, name, context, idempotencyKey),
    async stop() {
      await server.stop();
      await database.drop();
    },
  };
}
