import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExecuteWorkflowDocument, SeedCreateWorkflowDocument, ValidateWorkflowDefinitionDocument } from '../../generated/graphql.js';
import { bearer, createUser, login } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { codeOf, ok, waitForExecution } from './support.js';

interface Example {
  name: string;
  /** `runs`: started and run to completion (with the context given after it, if any); `refused`: the validator says no. */
  mode: 'saved' | 'runs' | 'refused';
  context: Record<string, unknown>;
  definition: Record<string, unknown>;
}

/** The examples of docs/definition-language.md: each JSON block after `<!-- example: <name> [runs [context] | refused] -->`. */
function examples(): Example[] {
  const text = readFileSync(join(process.cwd(), 'docs/definition-language.md'), 'utf8');
  return [...text.matchAll(/<!-- example: (\w+)(?: (runs|refused))?(?: (\{.*?\}))? -->\n```json\n([\s\S]*?)```/g)].map((match) => ({
    name: match[1] ?? '',
    mode: (match[2] as 'runs' | 'refused' | undefined) ?? 'saved',
    context: JSON.parse(match[3] ?? '{}') as Record<string, unknown>,
    definition: JSON.parse(match[4] ?? '') as Record<string, unknown>,
  }));
}

describe('the examples of docs/definition-language.md', () => {
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

  it('are accepted by the engine, in order, and the runnable ones complete', async () => {
    const all = examples();
    // One per step type at least, and each of them shown.
    expect(all.length).toBeGreaterThanOrEqual(10);
    const shown = JSON.stringify(all.map((example) => example.definition));
    for (const type of ['service_call', 'transform', 'condition', 'wait', 'parallel', 'sub_workflow', 'approval'])
      expect(shown).toContain(`"type":"${type}"`);

    for (const example of all) {
      if (example.mode === 'refused') {
        const checked = ok(
          await execute(server.url, ValidateWorkflowDefinitionDocument, { name: example.name, definition: example.definition }, headers),
        ).validateWorkflowDefinition;
        expect([example.name, checked.valid, checked.issues.length]).toEqual([example.name, false, 3]);
        continue;
      }
      const saved = await execute(
        server.url,
        SeedCreateWorkflowDocument,
        { input: { name: example.name, definition: example.definition } },
        headers,
      );
      expect([example.name, saved.errors]).toEqual([example.name, undefined]);
      if (example.mode !== 'runs') continue;
      const started = ok(await execute(server.url, ExecuteWorkflowDocument, { name: example.name, context: example.context }, headers))
        .executeWorkflow.execution;
      const done = await waitForExecution(server.url, headers, started.id);
      expect([example.name, done.status, done.error]).toEqual([example.name, 'COMPLETED', null]);
    }
  });

  it('behave as the document says', async () => {
    const result = async (name: string, context: Record<string, unknown> = {}) => {
      const started = ok(await execute(server.url, ExecuteWorkflowDocument, { name, context }, headers)).executeWorkflow.execution;
      return (await waitForExecution(server.url, headers, started.id)).result;
    };
    expect(await result('hello_world', { name: 'Ada' })).toEqual({ said: 'HELLO, ADA' });
    const refused = await execute(server.url, ExecuteWorkflowDocument, { name: 'hello_world', context: {} }, headers);
    expect(codeOf(refused)).toBe('VALIDATION');
    expect(refused.errors?.[0]?.extensions?.['details']).toEqual({
      issues: [{ path: '$', message: "must have required property 'name'" }],
    });

    expect(await result('price_with_tax')).toMatchObject({ gross: { amount: 177310, currency: 'EUR' } });
    expect(await result('big_order')).toEqual({
      order: { total: 250000 },
      is_big: expect.anything(),
      flag: { review: true },
      only_if_flagged: { queued: true },
    });
    expect(await result('fan_out')).toMatchObject({ joined: ['left', 'right'] });
    expect(await result('greet_twice')).toEqual({ first: { said: 'HELLO, ADA' }, second: { said: 'HELLO, HELLO, ADA' } });
  });
});
