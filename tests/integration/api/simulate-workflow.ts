import { SimulateWorkflowDocument } from '../../generated/graphql.js';
import { bearer, createUser, login } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { codeOf, ok } from './support.js';

/** Ids the methods' input schemas accept: a dry run checks each call's params as a run would. */
const C1 = '00000000-0000-4000-8000-0000000000c1';
const A1 = '00000000-0000-4000-8000-0000000000a1';

/** An order: a read (mocked), a condition on it, a guarded notification, an external call, an event wait. */
const ORDER = {
  steps: [
    { name: 'customer', type: 'service_call', service: 'customer', method: 'getCustomer', params: { customerId: '${context.customerId}' } },
    {
      name: 'big',
      type: 'condition',
      expression: 'context.total > 1000',
      then: [{ name: 'discount', type: 'transform', expression: 'context.total * 0.1' }],
      else: [{ name: 'no_discount', type: 'transform', output: { none: true } }],
    },
    {
      name: 'vip',
      type: 'transform',
      when: 'steps.customer.output.status = "vip"',
      output: { greeting: 'dear ${steps.customer.output.name}' },
    },
    { name: 'never', type: 'transform', when: 'false', output: { x: 1 } },
    {
      name: 'provision',
      type: 'service_call',
      service: 'activation',
      method: 'provisionInfrastructure',
      params: { activationId: '${context.activationId}', plan: 'starter' },
    },
    { name: 'paid', type: 'wait', event: { name: 'invoice.paid' } },
  ],
  output: { discount: '${steps.discount.output}', customer: '${steps.customer.output.name}' },
};

describe('simulateWorkflow', () => {
  let database: TestDatabase;
  let server: TestServer;

  const simulate = (variables: Record<string, unknown>, headers = server.adminHeaders) =>
    execute(server.url, SimulateWorkflowDocument, variables, headers);

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('answers the path, parameters, outputs and decisions from the context and the mocks; reports unmocked calls; persists nothing', async () => {
    const before = await server.orm.em.fork().getConnection().execute<Array<{ n: number }>>('select count(*)::int as n from executions');
    const { simulateWorkflow: run } = ok(
      await simulate({
        definition: ORDER,
        context: { customerId: C1, total: 1500, activationId: A1 },
        mocks: {
          'customer.getCustomer':
            '{ "customerId": params.customerId, "name": "Ada " & params.customerId, "email": "ada@example.com", "status": "vip" }',
          'event.invoice.paid': { amount: 1500 },
        },
      }),
    );
    expect([run.valid, run.status, run.error]).toEqual([true, 'COMPLETED', null]);
    expect(run.path).toEqual(['customer', 'big', 'discount', 'vip', 'never', 'provision', 'paid']);
    const step = (name: string) => run.steps.find((s) => s.step === name);
    expect(step('customer')).toMatchObject({
      status: 'COMPLETED',
      output: { name: `Ada ${C1}`, status: 'vip' },
      resolvedParameters: [{ path: '$.params.customerId', template: '${context.customerId}', value: C1 }],
      call: { call: 'customer.getCustomer', mocked: true },
    });
    expect(step('big')?.decisions).toEqual([
      { kind: 'CONDITION', expression: 'context.total > 1000', value: true, result: true, branch: 'then' },
    ]);
    expect([step('discount')?.output, step('no_discount')?.status]).toEqual([150, 'SKIPPED']);
    expect(step('vip')).toMatchObject({ status: 'COMPLETED', output: { greeting: `dear Ada ${C1}` } });
    expect(step('never')?.decisions).toEqual([{ kind: 'WHEN', expression: 'false', value: false, result: false, branch: null }]);
    expect(step('provision')).toMatchObject({
      status: 'COMPLETED',
      output: null,
      call: { call: 'activation.provisionInfrastructure', mocked: false },
    });
    expect(step('paid')?.output).toMatchObject({ event: { amount: 1500 } });
    expect(run.unmockedCalls).toEqual([{ step: 'provision', call: 'activation.provisionInfrastructure' }]);
    expect(run.result).toEqual({ discount: 150, customer: `Ada ${C1}` });
    expect([...run.diagnostics].map((d) => [d.code, d.step]).sort()).toEqual([
      ['EXTERNAL_CALL_WITHOUT_RETRY', 'provision'],
      ['OUTPUT_NEVER_USED', 'never'],
      ['OUTPUT_NEVER_USED', 'no_discount'],
      ['OUTPUT_NEVER_USED', 'vip'],
      ['UNREACHABLE_STEP', 'never'],
      ['WAIT_WITHOUT_TIMEOUT', 'paid'],
    ]);
    const after = await server.orm.em.fork().getConnection().execute<Array<{ n: number }>>('select count(*)::int as n from executions');
    expect(after).toEqual(before);
  });

  it('takes the other branch on another context, and fails as a run would when a mock fails', async () => {
    const { simulateWorkflow: small } = ok(
      await simulate({
        definition: ORDER,
        context: { customerId: C1, total: 10 },
        mocks: { 'customer.getCustomer': '$error("no such customer")' },
      }),
    );
    expect([small.status, small.error?.step, small.path]).toEqual(['FAILED', 'customer', ['customer']]);
  });

  it('simulates a saved workflow by name; refuses an invalid definition with its issues, and what the caller may not do', async () => {
    await server.engine.workflows.save({ tenantId: server.adminTenantId, name: 'order', definition: JSON.parse(JSON.stringify(ORDER)) });
    const byName = ok(await simulate({ name: 'order', context: { customerId: C1, total: 5, activationId: A1 } })).simulateWorkflow;
    // The unmocked read answered null; the small order takes the else branch.
    expect([byName.unmockedCalls.map((c) => c.call), byName.path.slice(0, 3)]).toEqual([
      ['customer.getCustomer', 'activation.provisionInfrastructure', 'event.invoice.paid'],
      ['customer', 'big', 'no_discount'],
    ]);
    expect(codeOf(await simulate({ name: 'nope' }))).toBe('NOT_FOUND');
    expect(codeOf(await simulate({}))).toBe('BAD_USER_INPUT');

    const invalid = ok(await simulate({ definition: { steps: [{ name: 'x', type: 'transform' }] } })).simulateWorkflow;
    expect([invalid.valid, invalid.issues.length > 0, invalid.steps]).toEqual([false, true, []]);

    const viewer = await createUser(server.orm, 'viewer', { tenantId: server.adminTenantId });
    const viewerHeaders = bearer((await login(server.url, viewer.email, viewer.password)).token);
    expect(codeOf(await simulate({ definition: ORDER }, viewerHeaders))).toBe('FORBIDDEN');
    expect(ok(await simulate({ name: 'order', context: { total: 5 } }, viewerHeaders)).simulateWorkflow.valid).toBe(true);
    // Another tenant has no workflow of that name.
    const stranger = await createUser(server.orm, 'admin');
    expect(codeOf(await simulate({ name: 'order' }, bearer((await login(server.url, stranger.email, stranger.password)).token)))).toBe(
      'NOT_FOUND',
    );
  });

  it("refuses a context the workflow's input schema does not accept, as executeWorkflow would, with each problem", async () => {
    const typed = {
      input: { type: 'object', required: ['customerId'], properties: { customerId: { type: 'string' }, total: { type: 'number' } } },
      steps: ORDER.steps.slice(0, 2),
    };
    await server.engine.workflows.save({
      tenantId: server.adminTenantId,
      name: 'typed_order',
      definition: JSON.parse(JSON.stringify(typed)),
    });
    for (const variables of [
      { name: 'typed_order', context: { total: 'lots' } },
      { definition: typed, context: { total: 'lots' } },
    ]) {
      const refused = await simulate(variables);
      expect(codeOf(refused)).toBe('VALIDATION');
      expect(refused.errors?.[0]?.message).toMatch(/^the context does not match (typed_order|the workflow)'s input schema: /);
      expect(refused.errors?.[0]?.extensions?.['details']).toEqual({
        issues: [
          { path: '$', message: "must have required property 'customerId'" },
          { path: '$.total', message: 'must be number' },
        ],
      });
    }
    expect(ok(await simulate({ name: 'typed_order', context: { customerId: C1, total: 5 } })).simulateWorkflow.path).toEqual([
      'customer',
      'big',
      'no_discount',
    ]);
  });

  it('fails a call whose resolved params its method refuses, as a run would, and flags a mock that is no answer the method gives', async () => {
    const PARTNER = {
      steps: [
        {
          name: 'quota',
          type: 'service_call',
          service: 'partner',
          method: 'checkLicenseQuota',
          params: { partnerId: 'demo-partner', requestedLicenses: '${context.seats}' },
        },
        {
          name: 'customer',
          type: 'service_call',
          service: 'customer',
          method: 'getCustomer',
          params: { customerId: '${context.customerId}' },
        },
        {
          name: 'follow_up',
          type: 'service_call',
          service: 'crm',
          method: 'createFollowUpTask',
          params: { opportunityId: '${context.customerId}', title: 'Call the customer back' },
        },
      ],
    };
    // A string where the method takes a count: the step fails VALIDATION, and the diagnostic names it.
    const refused = ok(
      await simulate({
        definition: PARTNER,
        context: { seats: 'five', customerId: C1 },
        mocks: { 'partner.checkLicenseQuota': { available: true, quotaRemaining: 3, partnerId: A1 } },
      }),
    ).simulateWorkflow;
    expect([refused.status, refused.error?.code, refused.error?.step, refused.path]).toEqual(['FAILED', 'VALIDATION', 'quota', ['quota']]);
    expect(refused.diagnostics.filter((each) => each.code === 'INVALID_PARAMS')).toEqual([
      {
        code: 'INVALID_PARAMS',
        step: 'quota',
        message: expect.stringMatching(/^partner\.checkLicenseQuota refuses the parameters it would get: requestedLicenses: /),
      },
    ]);

    // Accepted params; the mock says "yes" where the method answers a boolean, and leaves out what it always gives.
    const mismatched = ok(
      await simulate({
        definition: PARTNER,
        context: { seats: 5, customerId: C1 },
        mocks: { 'partner.checkLicenseQuota': { available: 'yes' } },
      }),
    ).simulateWorkflow;
    expect(mismatched.status).toBe('COMPLETED');
    const flagged = mismatched.diagnostics.filter((each) => each.code === 'MOCK_OUTPUT_MISMATCH');
    expect(flagged.map((each) => each.step)).toEqual(['quota']);
    expect(flagged[0]?.message).toMatch(
      /^the mock of partner\.checkLicenseQuota is no answer it gives: available: .*quotaRemaining: .*partnerId: /,
    );

    // An answer it gives passes; a method that declares no output (crm.createFollowUpTask) takes any mock.
    const fine = ok(
      await simulate({
        definition: PARTNER,
        context: { seats: 5, customerId: C1 },
        mocks: {
          'partner.checkLicenseQuota': { available: true, quotaRemaining: 3, partnerId: A1, seatsTotal: 10 },
          'customer.getCustomer': { customerId: C1, name: 'Ada', email: 'ada@example.com', status: 'vip' },
          'crm.createFollowUpTask': 'anything',
        },
      }),
    ).simulateWorkflow;
    expect([
      fine.status,
      fine.diagnostics.filter((each) => each.code === 'INVALID_PARAMS' || each.code === 'MOCK_OUTPUT_MISMATCH'),
    ]).toEqual(['COMPLETED', []]);
  });
});
