import { parseWorkflowDefinition } from '../../../src/engine/definition/parse.js';
import { LINK_ROWS } from './parse-rows-links.js';
import { STEP_ROWS } from './parse-rows-steps.js';
import { call, ctx, issuesOf, transform, wrap, type BadDefinition, type Raw } from './parse-support.js';
import { testServices } from './test-services.js';

describe('parseWorkflowDefinition: bad definitions', () => {
  // Each definition has exactly one problem, reported at this path with a message containing this text.
  const rows: BadDefinition[] = [...STEP_ROWS, ...LINK_ROWS];

  it('has a row for every rule', () => {
    expect(rows.length).toBeGreaterThanOrEqual(25);
  });

  it.each(rows)('%s', (_label, raw, path, message) => {
    expect(issuesOf(raw)).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  it('collects every issue, not just the first', () => {
    const issues = issuesOf({
      steps: [
        call('a', { critcal: true, params: { lead_idd: 'x' } }),
        { name: 'a', type: 'wait' },
        { name: 'p', type: 'parallel', branches: [[transform('b', { expression: '1 +' })]] },
      ],
      input: { type: 'objekt' },
    });
    expect(issues.map((issue) => issue.path).sort()).toEqual(
      [
        '$.steps[0].critcal',
        '$.steps[0].params.lead_idd',
        '$.steps[0].params',
        '$.steps[1]',
        '$.steps[1].name',
        '$.steps[2].branches',
        '$.steps[2].branches[0][0].expression',
        '$.input',
      ].sort(),
    );
  });
});

describe('parseWorkflowDefinition: good definitions', () => {
  it("accepts the seeds' format as written", () => {
    const seed = {
      steps: [
        {
          name: 'step1',
          type: 'service_call',
          service: 'customer_service',
          method: 'create_from_lead',
          params: { lead_id: '${context.lead_id}', tenant_id: '${context.tenant_id}' },
          critical: true,
        },
        {
          name: 'create_subscription',
          type: 'service_call',
          service: 'billing_service',
          method: 'create_subscription',
          params: { customer_id: '${customer_id}', plan_id: '${plan_id}' },
          critical: false,
        },
      ],
    };
    const result = parseWorkflowDefinition(seed, { services: testServices });
    expect(result).toEqual({ ok: true, definition: seed });
    if (result.ok) expect(result.definition).not.toBe(seed);
  });

  it('accepts objects without a prototype, as GraphQL JSON literals arrive, and refuses non-JSON objects', () => {
    const step = Object.assign(Object.create(null) as Raw, call('a'));
    expect(parseWorkflowDefinition({ steps: [step] }, ctx)).toMatchObject({ ok: true });
    expect(issuesOf(wrap(call('a', { params: { lead_id: new Date(0) } })))).toEqual([
      { path: '$.steps[0].params.lead_id', message: 'must be a JSON value' },
    ]);
  });

  it('accepts every step type, with references that are sure to have run', () => {
    const definition = {
      input: {
        type: 'object',
        required: ['lead_id', 'email'],
        properties: { lead_id: { type: 'string', format: 'uuid' }, email: { type: 'string', format: 'email' } },
      },
      steps: [
        call('create_customer', {
          description: 'Lead to customer',
          critical: true,
          timeoutSeconds: 30,
          retry: {
            maxAttempts: 5,
            initialIntervalSeconds: 2,
            backoffRate: 2,
            maxDelaySeconds: 60,
            jitter: 'equal',
            retryOn: ['EXTERNAL_UNAVAILABLE', 'TIMEOUT'],
          },
          // The compensation may read the step's own output: it runs after the step completed.
          compensate: {
            service: 'customer_service',
            method: 'delete_customer',
            params: { customer_id: '${steps.create_customer.output.customerId}' },
          },
        }),
        {
          name: 'is_business',
          type: 'condition',
          expression: 'steps.create_customer.output.kind = "business"',
          then: [
            {
              name: 'subscribe',
              type: 'service_call',
              service: 'billing',
              method: 'createSubscription',
              params: { customerId: '${steps.create_customer.output.customerId}', planId: 'business', trialDays: 14 },
            },
          ],
          else: [transform('consumer_note', { output: { note: 'consumer ${context.lead_id}' } })],
          onFalse: 'continue',
        },
        {
          name: 'fan_out',
          type: 'parallel',
          branches: [
            [
              {
                name: 'welcome',
                type: 'service_call',
                service: 'communications',
                method: 'sendTemplateEmail',
                params: { to: '${context.email}', template: 'welcome' },
              },
              transform('after_welcome', { expression: 'steps.welcome.status', when: 'steps.subscribe.status = "completed"' }),
            ],
            [
              {
                name: 'ticket',
                type: 'service_call',
                service: 'ticketing',
                method: 'createTicket',
                params: { subject: 'Onboard ${context.lead_id}', priority: 'low' },
                critical: false,
              },
            ],
          ],
        },
        { name: 'pause', type: 'wait', seconds: 60 },
        { name: 'until_morning', type: 'wait', until: '2030-01-31T09:00:00Z' },
        { name: 'until_due', type: 'wait', until: '${steps.create_customer.output.dueAt}' },
        {
          name: 'accepted',
          type: 'wait',
          event: {
            name: 'quote.accepted',
            match: 'event.customerId = steps.create_customer.output.customerId',
            since: 'run',
            timeoutSeconds: 86400,
            onTimeout: 'continue',
          },
        },
        {
          name: 'provision',
          type: 'sub_workflow',
          workflow: 'provisioning',
          version: 2,
          input: { customer: '${steps.create_customer.output}', ticket: '${steps.ticket.output.id}' },
        },
        // A step inside an earlier condition or parallel may be referenced after it.
        transform('summary', {
          expression: '{ "subscribed": steps.subscribe.status, "note": steps.consumer_note.output.note, "ticket": steps.ticket.output }',
        }),
        { name: 'audit', type: 'service_call', service: 'audit', method: 'record', params: { anything: ['goes', '${summary}'] } },
      ],
      output: { customer: '${steps.create_customer.output}', summary: '${steps.summary.output}' },
    };
    const result = parseWorkflowDefinition(definition, ctx);
    expect(result).toEqual({ ok: true, definition });
  });
});
