import { ExecuteWorkflowDocument, ExecutionsDocument, type ExecutionsQueryVariables } from '../../generated/graphql.js';
import { bearer, createUser, login } from '../../helpers/auth.js';
import { execute } from '../../helpers/graphql.js';
import { type TestServer } from '../../helpers/server.js';
import { startExecutionsApi, type ExecutionsApi } from './executions-setup.js';
import { DEFINITIONS, codeOf, ok, waitForExecution } from './support.js';

/** The executions list: order, pages and filters. */
describe('executions over the API', () => {
  let api: ExecutionsApi;
  let server: TestServer;

  beforeAll(async () => {
    api = await startExecutionsApi();
    ({ server } = api);
  });
  afterAll(() => api?.stop());

  describe('the executions list', () => {
    let tenantHeaders: Record<string, string>;
    const ids: string[] = [];

    beforeAll(async () => {
      // A tenant of its own, so that the list holds exactly what this block started.
      const user = await createUser(server.orm, 'operator');
      tenantHeaders = bearer((await login(server.url, user.email, user.password)).token);
      for (const name of ['three_steps', 'gate'] as const) {
        await server.engine.workflows.save({ tenantId: user.tenantId, name, definition: JSON.parse(JSON.stringify(DEFINITIONS[name])) });
      }
      for (let i = 0; i < 7; i += 1) {
        const name = i % 3 === 2 ? 'gate' : 'three_steps';
        const { executeWorkflow } = ok(
          await execute(
            server.url,
            ExecuteWorkflowDocument,
            { name, context: { n: i, ok: false, region: i % 2 === 0 ? 'north' : 'south', tags: ['x'] } },
            tenantHeaders,
          ),
        );
        ids.push(executeWorkflow.execution.id);
      }
      for (const id of ids) await waitForExecution(server.url, tenantHeaders, id);
    });

    const list = async (variables: Partial<ExecutionsQueryVariables>) =>
      ok(await execute(server.url, ExecutionsDocument, { first: 20, ...variables }, tenantHeaders)).executions;

    it('orders newest first and pages by cursor without gaps or repeats', async () => {
      const all = await list({ first: 20 });
      expect(all.nodes.map((node) => node.id)).toEqual([...ids].reverse());
      expect(all.pageInfo.hasNextPage).toBe(false);
      expect(all.edges.map((edge) => edge.node.id)).toEqual(all.nodes.map((node) => node.id));

      const seen: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 10; pages += 1) {
        const page: Awaited<ReturnType<typeof list>> = await list({ first: 3, after });
        seen.push(...page.nodes.map((node) => node.id));
        expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual([...ids].reverse());
    });

    it('filters by workflow, status, trigger, start time and context', async () => {
      const gates = ids.filter((_, i) => i % 3 === 2).reverse();
      expect((await list({ filter: { workflow: 'gate' } })).nodes.map((node) => node.id)).toEqual(gates);
      expect((await list({ filter: { status: ['FAILED'] } })).nodes.map((node) => node.id)).toEqual(gates);
      expect((await list({ filter: { status: ['COMPLETED', 'FAILED'], workflow: 'three_steps' } })).nodes).toHaveLength(
        ids.length - gates.length,
      );
      expect((await list({ filter: { trigger: ['RERUN'] } })).nodes).toEqual([]);
      expect((await list({ filter: { trigger: ['API'] } })).nodes).toHaveLength(ids.length);
      expect((await list({ filter: { workflow: 'no_such' } })).nodes).toEqual([]);

      const north = ids.filter((_, i) => i % 2 === 0).reverse();
      expect((await list({ filter: { contextMatch: { region: 'north' } } })).nodes.map((node) => node.id)).toEqual(north);
      expect((await list({ filter: { contextMatch: { region: 'north', n: 4 } } })).nodes.map((node) => node.id)).toEqual([ids[4]]);
      expect((await list({ filter: { contextMatch: { tags: ['x'] } } })).nodes).toHaveLength(ids.length);

      const all = (await list({})).nodes;
      const middle = all[3];
      if (!middle?.startedAt) throw new Error('the runs have started');
      const after = await list({ filter: { startedAfter: middle.startedAt } });
      const before = await list({ filter: { startedBefore: middle.startedAt } });
      expect(after.nodes.length + before.nodes.length).toBe(all.length);
      expect(after.nodes.map((node) => node.id)).toContain(middle.id);
      expect(before.nodes.map((node) => node.id)).not.toContain(middle.id);
    });

    it('refuses a bad cursor or page size', async () => {
      expect(codeOf(await execute(server.url, ExecutionsDocument, { first: 5, after: 'garbage' }, tenantHeaders))).toBe('BAD_USER_INPUT');
      expect(codeOf(await execute(server.url, ExecutionsDocument, { first: 101 }, tenantHeaders))).toBe('BAD_USER_INPUT');
      expect(codeOf(await execute(server.url, ExecutionsDocument, { first: -1 }, tenantHeaders))).toBe('BAD_USER_INPUT');
    });
  });
});
