import {
  DomainCreateLeadDocument,
  ExecuteWorkflowDocument,
  SeedCreateWorkflowDocument,
  UpdateWorkflowDocument,
} from '../../generated/graphql.js';
import { bearer, createUser, login } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { ok } from './support.js';

interface RawError {
  message: string;
  extensions: Record<string, unknown>;
}

/** Every error has `{ code, retryable, details? }`, and a list of problems is always `details.issues`. */
function expectOneShape(error: RawError | undefined): void {
  expect(error).toBeDefined();
  const extensions = error?.extensions ?? {};
  expect(Object.keys(extensions).filter((key) => !['code', 'retryable', 'details'].includes(key))).toEqual([]);
  expect(typeof extensions['code']).toBe('string');
  expect(typeof extensions['retryable']).toBe('boolean');
  const details = extensions['details'];
  if (details === undefined) return;
  expect(details).toEqual(expect.any(Object));
  expect(details).not.toHaveProperty('problems');
  const issues = (details as { issues?: unknown }).issues;
  if (issues !== undefined)
    expect(issues).toEqual(expect.arrayContaining([{ path: expect.stringMatching(/^\$/), message: expect.any(String) }]));
}

describe('error details over the API', () => {
  let database: TestDatabase;
  let server: TestServer;
  let headers: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    const user = await createUser(server.orm, 'admin');
    headers = bearer((await login(server.url, user.email, user.password)).token);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  async function post(body: string, contentType = 'application/json'): Promise<{ status: number; errors: RawError[] }> {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
    return { status: response.status, ...((await response.json()) as { errors: RawError[] }) };
  }

  it('gives a context that breaks the input schema as details.issues, the shape definition problems have', async () => {
    const definition = {
      input: { type: 'object', required: ['lead_id'], properties: { lead_id: { type: 'string' }, count: { type: 'integer' } } },
      steps: [{ name: 'echo', type: 'transform', output: { lead: '${context.lead_id}' } }],
    };
    ok(await execute(server.url, SeedCreateWorkflowDocument, { input: { name: 'typed_input', definition } }, headers));

    const refused = await execute(
      server.url,
      ExecuteWorkflowDocument,
      { name: 'typed_input', context: { lead_id: 7, count: 'many' } },
      headers,
    );
    expect(refused.errors?.[0]?.extensions).toEqual({
      code: 'VALIDATION',
      retryable: false,
      details: {
        issues: expect.arrayContaining([
          { path: '$.lead_id', message: 'must be string' },
          { path: '$.count', message: 'must be integer' },
        ]),
      },
    });
    const missing = await execute(server.url, ExecuteWorkflowDocument, { name: 'typed_input', context: {} }, headers);
    expect(missing.errors?.[0]?.extensions?.['details']).toEqual({
      issues: [{ path: '$', message: "must have required property 'lead_id'" }],
    });

    const broken = await execute(
      server.url,
      UpdateWorkflowDocument,
      { input: { name: 'typed_input', definition: { steps: [{ name: 'x', type: 'teleport' }] } } },
      headers,
    );
    expect(broken.errors?.[0]?.extensions).toEqual({
      code: 'VALIDATION',
      retryable: false,
      details: { issues: expect.arrayContaining([{ path: expect.stringMatching(/^\$\.steps\[0\]/), message: expect.any(String) }]) },
    });
  });

  it('gives a domain input problem as details.issues with JSON paths', async () => {
    const refused = await execute(server.url, DomainCreateLeadDocument, { input: { name: ' ', email: 'not-an-email' } }, headers);
    expectOneShape(refused.errors?.[0] as RawError | undefined);
    expect(refused.errors?.[0]?.extensions?.['details']).toEqual({
      issues: expect.arrayContaining([
        { path: '$.name', message: expect.any(String) },
        { path: '$.email', message: expect.any(String) },
      ]),
    });
  });

  it('answers every kind of error with { code, retryable, details? }', async () => {
    const cases: Array<{ body: string; contentType?: string; code: string }> = [
      { body: '{ "query": "{ workflows { nodes { name } " }', code: 'GRAPHQL_PARSE_FAILED' },
      { body: '{ "query": "{ nowhere }" }', code: 'GRAPHQL_VALIDATION_FAILED' },
      { body: '{ "query": "{ workflow(name: \\"nobody\\") { name } }" }', code: 'NOT_FOUND' },
      { body: '{ "query": "{ workflow { name } }" }', code: 'BAD_USER_INPUT' },
      {
        body: JSON.stringify({
          query: 'mutation($input: CreateWorkflowInput!) { createWorkflow(input: $input) { id } }',
          variables: { input: { name: 'x', definition: {}, colour: 'red' } },
        }),
        code: 'BAD_USER_INPUT',
      },
      { body: '{ "query": "query A { __typename } query B { __typename }" }', code: 'OPERATION_RESOLUTION_FAILURE' },
      { body: '{ "query": ', code: 'BAD_REQUEST' },
      { body: '{}', code: 'BAD_REQUEST' },
    ];
    for (const { body, contentType, code } of cases) {
      const { errors } = await post(body, contentType);
      expect([body, errors[0]?.extensions['code']]).toEqual([body, code]);
      expectOneShape(errors[0]);
    }
  });
});
