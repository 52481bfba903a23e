import { call, transform, without, wrap, type BadDefinition } from './parse-support.js';

/** Bad definitions, by what a step reads or names: other steps, templates and expressions, services, sub-workflows, the input schema. */
export const LINK_ROWS: BadDefinition[] = [
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
