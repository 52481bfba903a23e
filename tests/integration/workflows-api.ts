import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { Workflow } from '../../src/entities/index.js';
import { SCHEMA_FILE, printSwitchyardSchema } from '../../src/resolvers/emit-schema.js';
import { WorkflowByNameDocument, WorkflowsDocument } from '../generated/graphql.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { execute } from '../helpers/graphql.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const definition = {
  steps: [
    {
      name: 'create_customer',
      type: 'service_call',
      service: 'customer',
      method: 'createFromLead',
      params: { leadId: '${context.lead_id}', tenantId: '${context.tenant_id}' },
    },
  ],
};

describe('workflows through GraphQL', () => {
  let database: TestDatabase;
  let server: TestServer;
  let tenantId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    // The signed-in admin sees its own tenant only.
    tenantId = server.adminTenantId;
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('persists a workflow and reads it back over HTTP', async () => {
    const saved = await server.engine.workflows.save({
      tenantId,
      name: 'onboarding',
      description: 'Lead to customer',
      definition,
      tags: ['crm'],
    });

    const row = await server.orm.em.fork().findOneOrFail(Workflow, { id: saved.id });
    expect(row.name).toBe('onboarding');

    const response = await execute(server.url, WorkflowsDocument, undefined, server.adminHeaders);
    expect(response.errors).toBeUndefined();
    expect(response.data?.workflows.nodes).toEqual([
      {
        id: saved.id,
        name: 'onboarding',
        description: 'Lead to customer',
        version: 1,
        definition,
        active: true,
        tags: ['crm'],
        createdAt: saved.createdAt.toISOString(),
        updatedAt: saved.updatedAt.toISOString(),
      },
    ]);
  });

  it('gives a changed definition a new version and keeps the old one', async () => {
    const changed = {
      steps: [
        ...definition.steps,
        {
          name: 'welcome',
          type: 'service_call',
          service: 'communications',
          method: 'sendTemplateEmail',
          params: { template: 'customer_welcome', recipient: '${steps.create_customer.output.email}', variables: {} },
        },
      ],
    };
    await server.engine.workflows.save({ tenantId, name: 'onboarding', definition: changed });
    const unchanged = await server.engine.workflows.save({ tenantId, name: 'onboarding', definition: changed });
    expect(unchanged.version).toBe(2);

    const response = await execute(server.url, WorkflowByNameDocument, { name: 'onboarding' }, server.adminHeaders);
    expect(response.data?.workflow).toMatchObject({ name: 'onboarding', version: 2, definition: changed });
    const versions = await server.orm.em
      .fork()
      .getConnection()
      .execute<{ version: number }[]>(`select version from workflow_versions where workflow_id = ? order by version`, [
        response.data?.workflow.id,
      ]);
    expect(versions.map((row) => row.version)).toEqual([1, 2]);
  });

  it('answers NOT_FOUND for an unknown name', async () => {
    const response = await execute(server.url, WorkflowByNameDocument, { name: 'nope' }, server.adminHeaders);
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  });

  it('gives every error a code and hides internals', async () => {
    const invalid = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ workflowz }' }),
    });
    const invalidBody = (await invalid.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(invalidBody.errors[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const tooLarge = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ workflows { nodes { name } } }`, padding: 'x'.repeat(1_100_000) }),
    });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toEqual({
      errors: [{ message: 'request body larger than 1mb', extensions: { code: 'PAYLOAD_TOO_LARGE', retryable: false } }],
    });

    const malformed = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code).toBe(
      'BAD_REQUEST',
    );

    // Streamed without a Content-Length: refused once the count passes 1 MB, and the connection closed.
    const streamed = await rawPost(server.url, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, [
      Buffer.alloc(600_000, 32),
      Buffer.alloc(600_000, 32),
    ]);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toEqual({
      errors: [{ message: 'request body larger than 1mb', extensions: { code: 'PAYLOAD_TOO_LARGE', retryable: false } }],
    });

    const compressed = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: '{}',
    });
    expect(compressed.status).toBe(415);
    expect(((await compressed.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('refuses a simple cross-site POST (CSRF prevention)', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"query":"{ workflows { nodes { name } } }"}',
    });
    expect(response.status).toBe(400);
  });

  it('has the committed schema.graphql in step with the code', async () => {
    expect(await printSwitchyardSchema()).toBe(await readFile(SCHEMA_FILE, 'utf8'));
  });
});

/** A POST written chunk by chunk (fetch cannot leave out Content-Length for a known body). */
function rawPost(url: string, headers: Record<string, string>, chunks: Buffer[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
    });
    // The server may close the connection before the whole body is written.
    request.on('error', reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}
