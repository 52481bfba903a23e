import { ExecuteWorkflowDocument, StepOfRunDocument, StepWhyDocument } from '../../generated/graphql.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { codeOf, ok, waitForExecution } from './support.js';

/** A condition, a `when` that skips, one that lets its step run, one on a step committed with its database effect. */
const WHY = {
  steps: [
    {
      name: 'order',
      type: 'transform',
      output: { total: '${context.total}', customer: '${context.customer}', label: 'order of ${context.customer}' },
    },
    {
      name: 'big',
      type: 'condition',
      expression: 'steps.order.output.total > 1000',
      then: [{ name: 'review', type: 'transform', output: { review: true } }],
      else: [{ name: 'fast', type: 'transform', output: { fast: true } }],
    },
    { name: 'vip_only', type: 'transform', when: 'context.tier = "gold"', output: { vip: true } },
    { name: 'greet', type: 'transform', when: 'context.tier', output: { hello: '${context.customer}', key: '${context.apiToken}' } },
    {
      name: 'tell',
      type: 'service_call',
      when: 'steps.big.output.result',
      service: 'notifications',
      method: 'notifyTeam',
      params: { team: 'ops', subject: '${context.customer} ordered ${steps.order.output.total}' },
    },
  ],
};

describe('each step records why', () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    await server.engine.workflows.save({ tenantId: server.adminTenantId, name: 'why', definition: JSON.parse(JSON.stringify(WHY)) });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('conditions and whens keep their expression, value and outcome; parameters show beside their templates, secrets redacted', async () => {
    const context = { total: 1500, customer: 'ACME', tier: 'silver', apiToken: 'tok_do_not_show' };
    const started = ok(await execute(server.url, ExecuteWorkflowDocument, { name: 'why', context }, server.adminHeaders)).executeWorkflow
      .execution;
    expect((await waitForExecution(server.url, server.adminHeaders, started.id)).status).toBe('COMPLETED');
    const { execution } = ok(await execute(server.url, StepWhyDocument, { id: started.id }, server.adminHeaders));
    const step = (key: string) => execution.steps.find((s) => s.key === key);
    // In path order (a stored definition keeps its keys in PostgreSQL's jsonb order).
    const parameters = (key: string) => [...(step(key)?.resolvedParameters ?? [])].sort((a, b) => a.path.localeCompare(b.path));

    expect(step('order')?.decisions).toEqual([]);
    expect(parameters('order')).toEqual([
      { path: '$.output.customer', template: '${context.customer}', value: 'ACME' },
      { path: '$.output.label', template: 'order of ${context.customer}', value: 'order of ACME' },
      { path: '$.output.total', template: '${context.total}', value: 1500 },
    ]);
    expect(step('big')?.decisions).toEqual([
      { kind: 'CONDITION', expression: 'steps.order.output.total > 1000', value: true, result: true, branch: 'then' },
    ]);
    expect([step('review')?.status, step('fast')?.status]).toEqual(['COMPLETED', 'SKIPPED']);

    expect(step('vip_only')?.status).toBe('SKIPPED');
    expect(step('vip_only')?.decisions).toEqual([
      { kind: 'WHEN', expression: 'context.tier = "gold"', value: false, result: false, branch: null },
    ]);
    expect(step('vip_only')?.output).toEqual({ when: { expression: 'context.tier = "gold"', value: false, result: false } });

    expect(step('greet')?.decisions).toEqual([{ kind: 'WHEN', expression: 'context.tier', value: 'silver', result: true, branch: null }]);
    // The template names a secret-like key, so its value is redacted whatever key it lands under.
    expect(parameters('greet')).toEqual([
      { path: '$.output.hello', template: '${context.customer}', value: 'ACME' },
      { path: '$.output.key', template: '${context.apiToken}', value: '[redacted]' },
    ]);

    // A database effect commits with its checkpoint: the verdict is recorded in that transaction too.
    expect(step('tell')?.decisions).toEqual([
      { kind: 'WHEN', expression: 'steps.big.output.result', value: true, result: true, branch: null },
    ]);
    expect(parameters('tell')).toEqual([
      { path: '$.params.subject', template: '${context.customer} ordered ${steps.order.output.total}', value: 'ACME ordered 1500' },
    ]);
  });

  it('execution.step(key) answers one step as steps has it; null for one not started, NOT_FOUND for one the definition lacks', async () => {
    const context = { total: 5, customer: 'Bo', tier: 'gold', apiToken: 'tok' };
    const started = ok(await execute(server.url, ExecuteWorkflowDocument, { name: 'why', context }, server.adminHeaders)).executeWorkflow
      .execution;
    expect((await waitForExecution(server.url, server.adminHeaders, started.id)).status).toBe('COMPLETED');
    const all = ok(await execute(server.url, StepWhyDocument, { id: started.id }, server.adminHeaders)).execution.steps;
    for (const key of ['big', 'vip_only', 'greet']) {
      const { execution } = ok(await execute(server.url, StepOfRunDocument, { id: started.id, key }, server.adminHeaders));
      const { output: _output, ...listed } = all.find((step) => step.key === key) ?? { output: null };
      expect(execution.step).toEqual(listed);
    }
    const one = ok(await execute(server.url, StepOfRunDocument, { id: started.id, key: 'big' }, server.adminHeaders)).execution.step;
    expect(one?.decisions).toEqual([
      { kind: 'CONDITION', expression: 'steps.order.output.total > 1000', value: false, result: false, branch: 'else' },
    ]);

    // A step of the definition that this run never reached: the run that is still parked before it.
    await server.engine.workflows.save({
      tenantId: server.adminTenantId,
      name: 'why_parked',
      definition: {
        steps: [
          { name: 'hold', type: 'wait', event: { name: 'never.comes', timeoutSeconds: 86400 } },
          { name: 'after', type: 'transform', output: { x: 1 } },
        ],
      },
    });
    const parked = ok(await execute(server.url, ExecuteWorkflowDocument, { name: 'why_parked', context: {} }, server.adminHeaders))
      .executeWorkflow.execution;
    expect(
      ok(await execute(server.url, StepOfRunDocument, { id: parked.id, key: 'after' }, server.adminHeaders)).execution.step,
    ).toBeNull();
    const missing = await execute(server.url, StepOfRunDocument, { id: parked.id, key: 'nope' }, server.adminHeaders);
    expect(codeOf(missing)).toBe('NOT_FOUND');
  });
});
