import { definitionGraph } from '../../../console/src/run/definition-graph.js';
import { buildContext, formFields, problemSummary, problemsInOrder, validateContext } from '../../../console/src/workflow/run-form.js';
import { triggersOf } from '../../../console/src/workflow/triggers-of.js';
import { inOrderOf, sideBySide } from '../../../console/src/workflow/version-diff.js';

describe("a workflow's page, its pure parts", () => {
  it('hangs a compensation from the step it undoes, and names the workflow a sub_workflow starts', () => {
    const graph = definitionGraph({
      steps: [
        {
          name: 'allocate',
          type: 'service_call',
          service: 'network',
          method: 'allocateResources',
          compensate: { service: 'network', method: 'releaseResources' },
        },
        { name: 'child', type: 'sub_workflow', workflow: 'hello_world' },
      ],
    });
    expect(graph.nodes).toEqual([
      { id: 'allocate', stepType: 'service_call', detail: 'network.allocateResources' },
      { id: 'allocate:compensate', stepType: 'compensation', detail: 'network.releaseResources', compensates: 'allocate' },
      { id: 'child', stepType: 'sub_workflow', detail: 'hello_world', workflow: 'hello_world' },
    ]);
    expect(graph.edges.map((edge) => `${edge.source}->${edge.target} ${edge.kind}`)).toEqual([
      'allocate->allocate:compensate compensation',
      'allocate->child next',
    ]);
  });

  it("diffs two definitions side by side: the newer as written, the older in the newer's key order (key order does not count)", () => {
    // Shared keys follow the model's order, the others keep theirs after them; array items follow by position.
    const laidOut = inOrderOf({ z: 1, b: { d: 2, c: 3, e: 4 }, a: [{ y: 1, x: 2 }] }, { a: [{ x: 0, y: 0 }], b: { c: 0, d: 0 } });
    expect(JSON.stringify(laidOut)).toBe('{"a":[{"x":2,"y":1}],"b":{"c":3,"d":2,"e":4},"z":1}');
    const reordered = sideBySide({ a: 1, b: 2 }, { b: 2, a: 1 });
    expect(reordered.every((row) => !row.left?.changed && !row.right?.changed)).toBe(true);
    expect(reordered.map((row) => row.right?.text.trim())).toEqual(['{', '"b": 2,', '"a": 1', '}']);
    const rows = sideBySide({ steps: [{ name: 'a' }] }, { steps: [{ name: 'b' }, { name: 'c' }] });
    const changed = rows.filter((row) => row.left?.changed || row.right?.changed);
    expect(changed.map((row) => [row.left?.text.trim() ?? null, row.right?.text.trim() ?? null])).toEqual([
      ['"name": "a"', '"name": "b"'],
      [null, '},'],
      [null, '{'],
      [null, '"name": "c"'],
    ]);
    // Line numbers count each side's own lines.
    expect(rows[rows.length - 1]).toEqual({
      left: { number: 7, text: '}', changed: false },
      right: { number: 10, text: '}', changed: false },
    });
  });

  it('makes a field per property of the input schema, builds the context and checks it with the same schema', () => {
    const schema = {
      type: 'object',
      required: ['name', 'plan'],
      properties: {
        name: { type: 'string', minLength: 2, description: 'Who' },
        plan: { enum: ['basic', 'pro'] },
        seats: { type: 'integer', minimum: 1 },
        vip: { type: 'boolean' },
        address: { type: 'object' },
      },
    };
    const fields = formFields(schema);
    expect(fields?.map((field) => [field.name, field.kind, field.required])).toEqual([
      ['name', 'text', true],
      ['plan', 'choice', true],
      ['seats', 'integer', false],
      ['vip', 'boolean', false],
      ['address', 'json', false],
    ]);
    expect(formFields({ type: 'object' })).toBeNull();
    expect(formFields(undefined)).toBeNull();

    const bad = buildContext(fields ?? [], { name: 'A', seats: '0', address: '{ nope' });
    expect(bad.errors).toEqual({ address: 'not valid JSON' });
    expect(validateContext(schema, bad.context)).toEqual({
      plan: 'required',
      name: 'String is too short (1 < 2).',
      seats: expect.stringContaining('1'),
    });

    const good = buildContext(fields ?? [], { name: 'Ada', plan: '"pro"', seats: '3', vip: true, address: '{"city":"Berlin"}' });
    expect(good).toEqual({ context: { name: 'Ada', plan: 'pro', seats: 3, vip: true, address: { city: 'Berlin' } }, errors: {} });
    expect(validateContext(schema, good.context)).toEqual({});
    expect(validateContext(undefined, { anything: 1 })).toEqual({});
  });

  it("orders a refused form's problems as the form shows its fields, and words them for the announcement", () => {
    const fields = formFields({
      type: 'object',
      properties: { sku: { type: 'string' }, plan: { enum: ['a'] }, seats: { type: 'integer' } },
    });
    // The schema's order (required first): plan, then sku; the form's: sku, plan; '' and unknown names after.
    const problems = problemsInOrder(fields, { plan: 'required', '': 'must have 4 properties', sku: 'String is too short (1 < 3).' });
    expect(problems).toEqual([
      ['sku', 'String is too short (1 < 3).'],
      ['plan', 'required'],
      ['', 'must have 4 properties'],
    ]);
    expect(problemSummary(problems)).toBe(
      'Not started, 3 problems to fix: sku: String is too short (1 < 3); plan: required; the input: must have 4 properties',
    );
    // The one JSON box (a schema without properties): every problem is listed, none on a field.
    expect(problemsInOrder(null, { token: 'required' })).toEqual([['token', 'required']]);
    expect(problemSummary([['', 'not valid JSON']])).toBe('Not started, 1 problem to fix: the input: not valid JSON');
    expect(problemsInOrder(fields, {})).toEqual([]);
  });

  it("lists the definition's triggers", () => {
    expect(
      triggersOf({
        triggers: [{ event: 'quote.accepted', filter: "event.kind = 'new'" }, { nope: 1 }, { event: 'vip.order', priority: 10 }],
      }),
    ).toEqual([
      { event: 'quote.accepted', filter: "event.kind = 'new'", context: null, priority: null },
      { event: 'vip.order', filter: null, context: null, priority: 10 },
    ]);
    expect(triggersOf({ steps: [] })).toEqual([]);
  });
});
