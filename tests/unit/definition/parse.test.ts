import { parseWorkflowDefinition, type ParseContext, type WorkflowLookup } from '../../../src/engine/definition/parse.js';
import type { DefinitionIssue } from '../../../src/engine/definition/step-types.js';
import { testServices } from './test-services.js';

type Raw = Record<string, unknown>;

/** A valid service_call step; `extra` overrides or adds properties. */
const call = (name: string, extra: Raw = {}): Raw => ({
  name,
  type: 'service_call',
  service: 'customer',
  method: 'createFromLead',
  params: { lead_id: '${context.lead_id}' },
  ...extra,
});
/** A valid transform; with an `output` it has no expression. */
const transform = (name: string, extra: Raw = {}): Raw => ({
  name,
  type: 'transform',
  ...('output' in extra ? {} : { expression: '1' }),
  ...extra,
});
/** A copy of `step` without `key`. */
const without = (step: Raw, key: string): Raw => Object.fromEntries(Object.entries(step).filter(([name]) => name !== key));
const wrap = (...steps: unknown[]): Raw => ({ steps });

/** Workflows of the tenant: onboarding (the one saved) ← renewal → billing_cycle → onboarding. */
const workflowGraph: Record<string, string[]> = {
  renewal: ['billing_cycle'],
  billing_cycle: ['onboarding'],
  notify: [],
  provisioning: ['notify'],
};
const workflows: WorkflowLookup = {
  exists: (name) => Object.hasOwn(workflowGraph, name),
  subWorkflowsOf: (name) => workflowGraph[name] ?? [],
};
const ctx: ParseContext = { services: testServices, workflows, selfName: 'onboarding' };

function issuesOf(raw: unknown): DefinitionIssue[] {
  const result = parseWorkflowDefinition(raw, ctx);
  return result.ok ? [] : result.issues;
}

describe('parseWorkflowDefinition: bad definitions', () => {
  // Each definition has exactly one problem, reported at this path with a message containing this text.
  const rows: [string, unknown, string, string][] = [
    // shape of the document
    ['not an object', [], '$', 'must be an object with "steps"'],
    ['no steps', {}, '$.steps', 'missing required property "steps"'],
    ['empty steps', wrap(), '$.steps', 'at least one step'],
    ['steps not an array', { steps: { a: 1 } }, '$.steps', 'must be an array of steps'],
    ['unknown top-level property', { ...wrap(call('a')), tags: [] }, '$.tags', 'unknown property "tags" of a workflow definition'],
    ['non-JSON value', wrap(call('a', { params: { lead_id: undefined } })), '$.steps[0].params.lead_id', 'must be a JSON value'],
    ['step not an object', wrap(call('a'), 'b'), '$.steps[1]', 'a step must be an object'],
    // names and types
    ['missing name', wrap({ type: 'transform', expression: '1' }), '$.steps[0].name', 'missing required property "name"'],
    ['name not a string', wrap(transform('a'), transform('b', { name: 7 })), '$.steps[1].name', 'must be a string'],
    ['invalid name', wrap(transform('1st')), '$.steps[0].name', 'invalid step name "1st"'],
    ['missing type', wrap({ name: 'a' }), '$.steps[0].type', 'missing required property "type"'],
    [
      'unknown type',
      wrap({ name: 'a', type: 'http_call' }),
      '$.steps[0].type',
      'unknown step type "http_call": expected one of service_call, transform, condition, wait, parallel, sub_workflow',
    ],
    [
      'duplicate name, nested',
      wrap(transform('a'), { name: 'c', type: 'condition', expression: 'true', then: [transform('a')] }),
      '$.steps[1].then[0].name',
      'duplicate step name "a" (first used at $.steps[0])',
    ],
    // properties per type
    [
      'typo in a property',
      wrap(call('a', { critcal: false })),
      '$.steps[0].critcal',
      'unknown property "critcal" of a service_call step (did you mean "critical"?)',
    ],
    [
      "the seeds' snake_case property",
      wrap(call('a', { timeout_seconds: 30 })),
      '$.steps[0].timeout_seconds',
      'did you mean "timeoutSeconds"?',
    ],
    [
      'property of another type',
      wrap(transform('a', { branches: [] })),
      '$.steps[0].branches',
      'unknown property "branches" of a transform step',
    ],
    ['critical not a boolean', wrap(call('a', { critical: 'yes' })), '$.steps[0].critical', 'must be true or false'],
    ['description not a string', wrap(call('a', { description: 5 })), '$.steps[0].description', 'must be a string'],
    [
      'service_call without service',
      wrap(without(call('a'), 'service')),
      '$.steps[0].service',
      'missing required property "service" of a service_call step',
    ],
    ['service_call with empty method', wrap(call('a', { method: ' ' })), '$.steps[0].method', 'must be a non-empty string'],
    ['params not an object', wrap(call('a', { params: ['x'] })), '$.steps[0].params', 'must be an object'],
    [
      'transform with both',
      wrap(transform('a', { expression: '1', output: { x: 1 } })),
      '$.steps[0]',
      'a transform step takes exactly one of "expression", "output", got expression and output',
    ],
    [
      'transform with neither',
      wrap({ name: 'a', type: 'transform' }),
      '$.steps[0]',
      'a transform step needs exactly one of "expression", "output"',
    ],
    [
      'condition without expression',
      wrap({ name: 'c', type: 'condition', then: [transform('t')] }),
      '$.steps[0].expression',
      'missing required property "expression" of a condition step',
    ],
    [
      'condition then not an array',
      wrap({ name: 'c', type: 'condition', expression: 'true', then: transform('t') }),
      '$.steps[0].then',
      'must be an array of steps',
    ],
    [
      'condition onFalse unknown',
      wrap({ name: 'c', type: 'condition', expression: 'true', onFalse: 'stop' }),
      '$.steps[0].onFalse',
      'must be one of continue, end, fail',
    ],
    [
      'wait with two modes',
      wrap({ name: 'w', type: 'wait', seconds: 5, event: { name: 'x' } }),
      '$.steps[0]',
      'a wait step takes exactly one of "seconds", "until", "event", got seconds and event',
    ],
    ['wait with no mode', wrap({ name: 'w', type: 'wait' }), '$.steps[0]', 'a wait step needs exactly one of "seconds", "until", "event"'],
    ['wait seconds 0', wrap({ name: 'w', type: 'wait', seconds: 0 }), '$.steps[0].seconds', 'must be a number greater than 0'],
    ['wait until not a date', wrap({ name: 'w', type: 'wait', until: 'tomorrow' }), '$.steps[0].until', 'must be an ISO-8601 date-time'],
    [
      'wait event without name',
      wrap({ name: 'w', type: 'wait', event: { timeoutSeconds: 60 } }),
      '$.steps[0].event.name',
      'missing required property "name" of event',
    ],
    [
      'wait event timeout negative',
      wrap({ name: 'w', type: 'wait', event: { name: 'quote.accepted', timeoutSeconds: -1 } }),
      '$.steps[0].event.timeoutSeconds',
      'must be a number greater than 0',
    ],
    [
      'wait event since unknown',
      wrap({ name: 'w', type: 'wait', event: { name: 'payment.succeeded', match: 'event.intentId = context.intent', since: 'ever' } }),
      '$.steps[0].event.since',
      'must be one of step, run',
    ],
    [
      'wait event since run without match',
      wrap({ name: 'w', type: 'wait', event: { name: 'payment.succeeded', since: 'run' } }),
      '$.steps[0].event.since',
      'since "run" needs a "match" tying the event to this run (e.g. an id an earlier step made): any earlier event would do',
    ],
    [
      'wait event typo',
      wrap({ name: 'w', type: 'wait', event: { name: 'quote.accepted', timeout: 5 } }),
      '$.steps[0].event.timeout',
      'unknown property "timeout" of event',
    ],
    [
      'parallel with one branch',
      wrap({ name: 'p', type: 'parallel', branches: [[transform('a')]] }),
      '$.steps[0].branches',
      'at least 2 branches, got 1',
    ],
    [
      'parallel with an empty branch',
      wrap({ name: 'p', type: 'parallel', branches: [[transform('a')], []] }),
      '$.steps[0].branches[1]',
      'a branch must be a non-empty array of steps',
    ],
    ['parallel without branches', wrap({ name: 'p', type: 'parallel' }), '$.steps[0].branches', 'missing required property "branches"'],
    [
      'sub_workflow without workflow',
      wrap({ name: 's', type: 'sub_workflow' }),
      '$.steps[0].workflow',
      'missing required property "workflow"',
    ],
    [
      'sub_workflow version 0',
      wrap({ name: 's', type: 'sub_workflow', workflow: 'notify', version: 0 }),
      '$.steps[0].version',
      'must be an integer from 1 to',
    ],
    // retry and timeouts
    [
      'retry without maxAttempts',
      wrap(call('a', { retry: {} })),
      '$.steps[0].retry.maxAttempts',
      'missing required property "maxAttempts" of retry',
    ],
    [
      'retry maxAttempts 0',
      wrap(call('a', { retry: { maxAttempts: 0 } })),
      '$.steps[0].retry.maxAttempts',
      'must be an integer from 1 to 100',
    ],
    [
      'retry maxAttempts 101',
      wrap(call('a', { retry: { maxAttempts: 101 } })),
      '$.steps[0].retry.maxAttempts',
      'must be an integer from 1 to 100',
    ],
    ['retry maxAttempts 2.5', wrap(call('a', { retry: { maxAttempts: 2.5 } })), '$.steps[0].retry.maxAttempts', 'must be an integer'],
    [
      'retry negative interval',
      wrap(call('a', { retry: { maxAttempts: 3, initialIntervalSeconds: -1 } })),
      '$.steps[0].retry.initialIntervalSeconds',
      'must be a number ≥ 0',
    ],
    [
      'retry negative max delay',
      wrap(call('a', { retry: { maxAttempts: 3, maxDelaySeconds: -1 } })),
      '$.steps[0].retry.maxDelaySeconds',
      'must be a number ≥ 0',
    ],
    [
      'retry backoffRate below 1',
      wrap(call('a', { retry: { maxAttempts: 3, backoffRate: 0.5 } })),
      '$.steps[0].retry.backoffRate',
      'must be a number ≥ 1',
    ],
    [
      'retry unknown jitter',
      wrap(call('a', { retry: { maxAttempts: 3, jitter: 'half' } })),
      '$.steps[0].retry.jitter',
      'must be one of none, full, equal',
    ],
    [
      'retryOn not an array',
      wrap(call('a', { retry: { maxAttempts: 3, retryOn: 'TIMEOUT' } })),
      '$.steps[0].retry.retryOn',
      'must be an array of error codes',
    ],
    [
      'retryOn unknown code',
      wrap(call('a', { retry: { maxAttempts: 3, retryOn: ['TIMEOUT', 'EXTERNAL_UNAVAILBLE'] } })),
      '$.steps[0].retry.retryOn[1]',
      'unknown error code "EXTERNAL_UNAVAILBLE"',
    ],
    [
      'retry typo',
      wrap(call('a', { retry: { maxAttempts: 3, backoff: 2 } })),
      '$.steps[0].retry.backoff',
      'unknown property "backoff" of retry',
    ],
    ['timeoutSeconds 0', wrap(call('a', { timeoutSeconds: 0 })), '$.steps[0].timeoutSeconds', 'must be a number greater than 0'],
    // references
    [
      'reference to a later step',
      wrap(call('a', { params: { lead_id: '${steps.b.output.id}' } }), transform('b')),
      '$.steps[0].params.lead_id',
      'template ${steps.b.output.id} references step "b", which runs after this step',
    ],
    [
      'reference to itself',
      wrap(call('a', { params: { lead_id: '${steps.a.output.id}' } })),
      '$.steps[0].params.lead_id',
      'references step "a" itself',
    ],
    [
      'reference to an unknown step',
      wrap(call('a', { params: { lead_id: '${steps.nobody.output.id}' } })),
      '$.steps[0].params.lead_id',
      'references step "nobody", which does not exist',
    ],
    [
      'reference into a sibling parallel branch',
      wrap({ name: 'p', type: 'parallel', branches: [[transform('left')], [transform('right', { expression: 'steps.left.output' })]] }),
      '$.steps[0].branches[1][0].expression',
      'expression references step "left" in another branch of parallel "p", which may not have finished',
    ],
    [
      "reference into a condition's other branch",
      wrap({
        name: 'c',
        type: 'condition',
        expression: 'true',
        then: [transform('yes')],
        else: [transform('no', { output: '${steps.yes.output}' })],
      }),
      '$.steps[0].else[0].output',
      'references step "yes" in the other branch of condition "c", which never runs together with this one',
    ],
    [
      'reference to the enclosing step',
      wrap({ name: 'p', type: 'parallel', branches: [[transform('x', { expression: 'steps.p.output' })], [transform('y')]] }),
      '$.steps[0].branches[0][0].expression',
      'references step "p", which contains this step',
    ],
    [
      "a condition reading its own branch's step",
      wrap({ name: 'c', type: 'condition', expression: 'steps.inner.output', then: [transform('inner')] }),
      '$.steps[0].expression',
      'references step "inner", which runs inside this step',
    ],
    [
      'when reading a later step',
      wrap(call('a', { when: 'steps.b.status = "completed"' }), transform('b')),
      '$.steps[0].when',
      'expression references step "b", which runs after this step',
    ],
    [
      'workflow output reading an unknown step',
      { ...wrap(transform('a')), output: { id: '${steps.ghost.output.id}' } },
      '$.output.id',
      'references step "ghost", which does not exist',
    ],
    // templates and expressions
    [
      'malformed template',
      wrap(call('a', { params: { lead_id: '${context.lead id}' } })),
      '$.steps[0].params.lead_id',
      'malformed template ${context.lead id}',
    ],
    ['unclosed template', wrap(call('a', { params: { lead_id: 'L-${context.lead_id' } })), '$.steps[0].params.lead_id', 'unclosed "${"'],
    [
      'JSONata syntax error',
      wrap(transform('a', { expression: 'context.amount >' })),
      '$.steps[0].expression',
      'invalid JSONata at position',
    ],
    ['JSONata syntax error in when', wrap(call('a', { when: '(context.x' })), '$.steps[0].when', 'invalid JSONata'],
    [
      'unsafe regex',
      wrap(transform('a', { expression: '$match(context.s, /(\\w+\\s?)*$/)' })),
      '$.steps[0].expression',
      'repeats a group that itself repeats',
    ],
    [
      'JSONata error in an event match',
      wrap({ name: 'w', type: 'wait', event: { name: 'quote.accepted', match: 'event.quoteId =' } }),
      '$.steps[0].event.match',
      'invalid JSONata',
    ],
    // services
    [
      'unknown service method',
      wrap(call('a', { service: 'customer_service', method: 'frobnicate' })),
      '$.steps[0]',
      'unknown service method "customer_service.frobnicate"',
    ],
    [
      'unknown service',
      wrap(call('a', { service: 'warp_drive', method: 'engage' })),
      '$.steps[0]',
      'unknown service method "warp_drive.engage"',
    ],
    [
      'unknown param',
      wrap(call('a', { params: { lead_id: 'L', lead_idd: 'x' } })),
      '$.steps[0].params.lead_idd',
      'customer.createFromLead has no parameter "lead_idd" (its parameters: leadId, tenantId)',
    ],
    [
      'missing required param',
      wrap(call('a', { params: { tenant_id: 'T' } })),
      '$.steps[0].params',
      'missing parameter "leadId" required by customer.createFromLead',
    ],
    ['params missing entirely', wrap(without(call('a'), 'params')), '$.steps[0].params', 'missing parameter "leadId"'],
    [
      'one param spelt twice',
      wrap(call('a', { params: { lead_id: 'L', leadId: 'L' } })),
      '$.steps[0].params.leadId',
      '"leadId" and "lead_id" are the same parameter "leadId"',
    ],
    [
      'literal param of the wrong type',
      wrap(call('a', { service: 'billing', method: 'processPayment', params: { order_id: '${context.order}', amount: 'ten' } })),
      '$.steps[0].params.amount',
      'invalid value for parameter "amount" of billing.processPayment',
    ],
    [
      'unknown compensation method',
      wrap(call('a', { compensate: { service: 'customer', method: 'undo' } })),
      '$.steps[0].compensate',
      'unknown service method "customer.undo"',
    ],
    [
      'compensation missing a param',
      wrap(call('a', { compensate: { service: 'customer', method: 'deleteCustomer', params: {} } })),
      '$.steps[0].compensate.params',
      'missing parameter "customerId" required by customer.deleteCustomer',
    ],
    [
      'compensation typo',
      wrap(call('a', { compensate: { service: 'customer', method: 'deleteCustomer', params: { customer_id: 'C' }, critical: true } })),
      '$.steps[0].compensate.critical',
      'unknown property "critical" of compensate',
    ],
    // sub-workflows
    ['unknown sub-workflow', wrap({ name: 's', type: 'sub_workflow', workflow: 'nope' }), '$.steps[0].workflow', 'unknown workflow "nope"'],
    [
      'sub-workflow is the workflow itself',
      wrap({ name: 's', type: 'sub_workflow', workflow: 'onboarding' }),
      '$.steps[0].workflow',
      'is this workflow itself',
    ],
    [
      'sub-workflow cycle',
      wrap({ name: 's', type: 'sub_workflow', workflow: 'renewal' }),
      '$.steps[0].workflow',
      'leads back to this workflow (onboarding → renewal → billing_cycle → onboarding)',
    ],
    // input schema
    ['input not an object', { ...wrap(transform('a')), input: 'object' }, '$.input', 'must be a JSON Schema object'],
    [
      'input schema invalid',
      { ...wrap(transform('a')), input: { type: 'objekt' } },
      '$.input',
      'invalid JSON Schema: schema is invalid: data/type must be equal to one of the allowed values',
    ],
    [
      'input schema typo',
      { ...wrap(transform('a')), input: { type: 'object', requried: ['lead_id'] } },
      '$.input',
      'unknown keyword: "requried"',
    ],
    [
      'input schema unknown format',
      { ...wrap(transform('a')), input: { type: 'string', format: 'colour' } },
      '$.input',
      'unknown format "colour"',
    ],
  ];

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
