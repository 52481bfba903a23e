import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import {
  ExecuteWorkflowDocument,
  ExecutionDocument,
  ExecutionListDocument,
  ExecutionsDocument,
  ExecutionsWithStepsDocument,
} from '../../generated/graphql.js';
import type { TestDatabase } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { startExecutionsApi, type ExecutionsApi } from './executions-setup.js';
import { ok, waitForExecution, withStatements } from './support.js';

/** How executions are read: statements per list, columns per selection (the server gives way to an API-only one). */
describe('executions over the API', () => {
  let api: ExecutionsApi;
  let database: TestDatabase;
  let server: TestServer;
  let headers: Record<string, string>;
  let run: ExecutionsApi['run'];

  beforeAll(async () => {
    api = await startExecutionsApi();
    ({ database, server, headers, run } = api);
  });
  afterAll(() => api?.stop());

  describe('DataLoader', () => {
    let reader: TestServer;

    beforeAll(async () => {
      const started: string[] = [];
      for (let i = 0; i < 50; i += 1) started.push((await run(i % 2 === 0 ? 'three_steps' : 'gate', { n: i, ok: true })).execution.id);
      for (const id of started) await waitForExecution(server.url, headers, id);
      // Only an API-only instance left in this process (no worker, no scheduler): nothing but the
      // request talks to PostgreSQL while statements are counted.
      await server.stop();
      reader = await startTestServer({ databaseUrl: database.url, env: { SWITCHYARD_ROLES: 'api' } });
    });
    afterAll(async () => {
      await reader?.stop();
    });

    it('answers 50 executions with their steps and workflows in at most 3 statements', async () => {
      const { result, statements } = await withStatements(() =>
        execute(reader.url, ExecutionsWithStepsDocument, { first: 50 }, reader.adminHeaders),
      );
      const nodes = ok(result).executions.nodes;
      expect(nodes).toHaveLength(50);
      expect(nodes.every((node) => node.steps.length === 3 && node.workflow.name.length > 0)).toBe(true);
      expect(new Set(nodes.map((node) => node.workflow.name))).toEqual(new Set(['three_steps', 'gate']));

      // Authenticating the request reads its user, and a connection the pool opens meanwhile sets itself
      // up; everything else is the query's.
      const queries = statements.filter((sql) => !/ from "users" /.test(sql) && !/^\s*(set|show|select 1\b)/i.test(sql));
      expect(
        queries
          .map((sql) =>
            /execution_steps/.test(sql)
              ? 'steps'
              : /from workflows/.test(sql)
                ? 'workflows'
                : /from executions/.test(sql)
                  ? 'executions'
                  : sql,
          )
          .sort(),
      ).toEqual(['executions', 'steps', 'workflows']);
      expect(queries.length).toBeLessThanOrEqual(3);
    });

    it("reads a list's context and result only when asked, by id in one more statement, as one run's read has them", async () => {
      const withoutContext = await withStatements(() => execute(reader.url, ExecutionListDocument, { first: 50 }, reader.adminHeaders));
      expect(ok(withoutContext.result).executions.nodes).toHaveLength(50);
      const page = withoutContext.statements.filter((sql) => /from executions e/.test(sql));
      expect(page).toHaveLength(1);
      expect(page[0]).not.toMatch(/e\.context|e\.result/);

      const { result, statements } = await withStatements(() =>
        execute(reader.url, ExecutionsDocument, { first: 50 }, reader.adminHeaders),
      );
      const nodes = ok(result).executions.nodes;
      expect(nodes).toHaveLength(50);
      expect(statements.filter((sql) => /from executions e/.test(sql))).toHaveLength(2);
      for (const node of nodes.slice(0, 5)) {
        const one = ok(await execute(reader.url, ExecutionDocument, { id: node.id }, reader.adminHeaders)).execution;
        expect({ context: node.context, result: node.result }).toEqual({ context: one.context, result: one.result });
        expect(node.context).toMatchObject({ n: expect.any(Number), ok: true });
      }
    });

    it("shows a secret in a listed run's context redacted, as everywhere else", async () => {
      const secret = 'not-for-the-list';
      // Only an API here: the run is queued, its context recorded.
      const { executeWorkflow } = ok(
        await execute(
          reader.url,
          ExecuteWorkflowDocument,
          { name: 'three_steps', context: { ok: true, apiToken: secret } },
          reader.adminHeaders,
        ),
      );
      const id = executeWorkflow.execution.id;
      const listed = ok(await execute(reader.url, ExecutionsDocument, { first: 1 }, reader.adminHeaders)).executions.nodes[0];
      expect(listed?.id).toBe(id);
      expect(listed?.context).toMatchObject({ apiToken: '[redacted]' });
      expect(JSON.stringify(listed)).not.toContain(secret);
    });

    it('reads only the columns its selection shows, and answers every field as the read by id does', async () => {
      const { statements } = await withStatements(() => execute(reader.url, ExecutionListDocument, { first: 5 }, reader.adminHeaders));
      const [page] = statements.filter((sql) => /from executions e/.test(sql));
      const columns = /select (.*?), to_char\(/s
        .exec(page ?? '')?.[1]
        ?.split(',')
        .map((column) => column.trim());
      // The list shows only its workflows' names: the page reads them too, by the execution's workflow in its tenant.
      expect(columns?.sort()).toEqual([
        '(select w.name from workflows w where w.id = e.workflow_id and w.tenant_id = e.tenant_id) as workflow_name',
        'e.created_at',
        'e.id',
        'e.status',
        'e.workflow_id',
      ]);

      // Each field alone, through `nodes` and through a fragment on `edges { node }`, against one run's read.
      const fields = [
        'workflowId',
        'workflowVersion',
        'status',
        'error { code message retryable step details }',
        'trigger { type source }',
        'idempotencyKey',
        'parentExecutionId',
        'parentStepKey',
        'cancelRequested',
        'pauseRequested',
        'priority',
        'concurrency { key limit }',
        'lastSequence',
        'createdAt',
        'startedAt',
        'completedAt',
        'updatedAt',
        'durationMs',
        'definition',
        'workflow { name }',
        'workflow { __typename id name }',
        'workflow { id name version }',
        'a: workflow { name } b: workflow { name definition }',
      ];
      const listed = ok(await execute(reader.url, ExecutionListDocument, { first: 50 }, reader.adminHeaders)).executions.nodes;
      const sample = [...listed.filter((node) => node.status === 'FAILED').slice(0, 2), ...listed.slice(0, 2)].map((node) => node.id);
      type Node = Record<string, unknown> & { id: string };
      const query = (text: string) => parse(text) as TypedDocumentNode<Record<string, unknown>, Record<string, never>>;
      for (const field of fields) {
        const asNodes = ok(
          await execute(reader.url, query(`{ executions(first: 50) { nodes { id ${field} } } }`), undefined, reader.adminHeaders),
        );
        const asEdges = ok(
          await execute(
            reader.url,
            query(`{ executions(first: 50) { edges { node { ...F } } } } fragment F on Execution { id ... on Execution { ${field} } }`),
            undefined,
            reader.adminHeaders,
          ),
        );
        const fromNodes = (asNodes['executions'] as { nodes: Node[] }).nodes;
        const fromEdges = (asEdges['executions'] as { edges: Array<{ node: Node }> }).edges.map((edge) => edge.node);
        expect(fromEdges).toEqual(fromNodes);
        for (const id of sample) {
          const one = ok(await execute(reader.url, query(`{ execution(id: "${id}") { id ${field} } }`), undefined, reader.adminHeaders));
          expect([field, fromNodes.find((node) => node.id === id)]).toEqual([field, one['execution']]);
        }
      }
    });

    it('answers the benchmark list (20 executions, status and workflow name) in 1 statement, and a list showing more of a workflow in 2', async () => {
      const queriesOf = (statements: string[]) =>
        statements.filter((sql) => !/ from "users" /.test(sql) && !/^\s*(set|show|select 1\b)/i.test(sql));
      const { result, statements } = await withStatements(() =>
        execute(reader.url, ExecutionListDocument, { first: 20 }, reader.adminHeaders),
      );
      const nodes = ok(result).executions.nodes;
      expect(nodes).toHaveLength(20);
      expect(new Set(nodes.map((node) => node.workflow.name))).toEqual(new Set(['three_steps', 'gate']));
      expect(queriesOf(statements)).toHaveLength(1);

      // One alias asking more than the name: every workflow of the page through the loader, in one more statement.
      const mixed = await withStatements(() =>
        execute(
          reader.url,
          parse('{ executions(first: 20) { nodes { id a: workflow { name } b: workflow { version } } } }') as TypedDocumentNode<
            { executions: { nodes: Array<{ a: { name: string }; b: { version: number } }> } },
            Record<string, never>
          >,
          undefined,
          reader.adminHeaders,
        ),
      );
      const mixedNodes = ok(mixed.result).executions.nodes;
      expect(mixedNodes.map((node) => node.a.name)).toEqual(nodes.map((node) => node.workflow.name));
      expect(mixedNodes.every((node) => node.b.version === 1)).toBe(true);
      expect(queriesOf(mixed.statements).filter((sql) => /workflow_name/.test(sql))).toEqual([]);
      expect(queriesOf(mixed.statements)).toHaveLength(2);
    });
  });
});
