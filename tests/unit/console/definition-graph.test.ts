import { definitionGraph } from '../../../console/src/run/definition-graph.js';
import { layoutGraph } from '../../../console/src/run/layout.js';

const edgesOf = (definition: unknown) =>
  definitionGraph(definition).edges.map((edge) => `${edge.source}->${edge.target}${edge.label ? ` (${edge.label})` : ''}`);

describe("the run page's graph of a definition", () => {
  it('chains steps in order, with what each calls or waits for', () => {
    const graph = definitionGraph({
      steps: [
        { name: 'create', type: 'service_call', service: 'customer', method: 'createFromLead' },
        { name: 'pause', type: 'wait', seconds: 5 },
        { name: 'child', type: 'sub_workflow', workflow: 'hello_world' },
      ],
    });
    expect(graph.nodes).toEqual([
      { id: 'create', stepType: 'service_call', detail: 'customer.createFromLead' },
      { id: 'pause', stepType: 'wait', detail: '5 s' },
      { id: 'child', stepType: 'sub_workflow', detail: 'hello_world', workflow: 'hello_world' },
    ]);
    expect(
      edgesOf({
        steps: [
          { name: 'a', type: 'transform' },
          { name: 'b', type: 'transform' },
        ],
      }),
    ).toEqual(['a->b']);
  });

  it("fans a condition's branches out and joins them at the next step", () => {
    expect(
      edgesOf({
        steps: [
          { name: 'is_big', type: 'condition', then: [{ name: 'flag', type: 'transform' }], else: [{ name: 'pass', type: 'transform' }] },
          { name: 'after', type: 'transform' },
        ],
      }),
    ).toEqual(['is_big->flag (then)', 'is_big->pass (else)', 'flag->after', 'pass->after']);
    // No else: the false path goes straight on.
    expect(
      edgesOf({
        steps: [
          { name: 'check', type: 'condition', then: [{ name: 'yes', type: 'transform' }] },
          { name: 'next', type: 'transform' },
        ],
      }),
    ).toEqual(['check->yes (then)', 'yes->next', 'check->next']);
  });

  it("fans a parallel step's branches out and joins them at the next step", () => {
    expect(
      edgesOf({
        steps: [
          {
            name: 'both',
            type: 'parallel',
            branches: [
              [{ name: 'left', type: 'transform' }],
              [
                { name: 'right', type: 'wait', seconds: 1 },
                { name: 'right_done', type: 'transform' },
              ],
            ],
          },
          { name: 'joined', type: 'transform' },
        ],
      }),
    ).toEqual(['both->left (branch 1)', 'both->right (branch 2)', 'right->right_done', 'left->joined', 'right_done->joined']);
  });

  it('ignores what is not a step, and lays every node out top to bottom', () => {
    expect(definitionGraph(null)).toEqual({ nodes: [], edges: [] });
    expect(definitionGraph({ steps: [42, { type: 'transform' }] }).nodes).toEqual([]);
    const positions = layoutGraph(
      definitionGraph({
        steps: [
          { name: 'a', type: 'transform' },
          { name: 'b', type: 'transform' },
        ],
      }),
    );
    expect(positions.get('b')?.y).toBeGreaterThan(positions.get('a')?.y ?? Infinity);
  });
});
