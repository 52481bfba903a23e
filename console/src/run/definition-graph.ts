/**
 * A workflow definition (`{ steps: [...] }`, see docs/definition-language.md) as nodes and edges:
 * steps in order; a `condition`'s `then` and `else` branches and a `parallel` step's branches fan out
 * from it and join at the next step; a step's `compensate` is a node of its own, hanging from the step
 * by a `compensation` edge (it runs only when a later critical step fails). Pure: laid out by layout.ts,
 * drawn by RunGraph.tsx and workflow/WorkflowGraph.tsx.
 */
export interface DefinitionNode {
  /** The step's name: its key in the run's record. */
  id: string;
  stepType: string;
  /** What it calls or waits for, when the definition says (`customer.createFromLead`, `hello_world`, `5 s`). */
  detail: string | null;
  /** A compensation node: the step it undoes (its id is `<step>:compensate`). */
  compensates?: string;
  /** A sub_workflow step: the workflow it starts. */
  workflow?: string;
}

export interface DefinitionEdge {
  id: string;
  source: string;
  target: string;
  label: string | null;
  /** `next`: the order steps run in; `compensation`: from a step to what undoes it. */
  kind: 'next' | 'compensation';
}

export interface DefinitionGraph {
  nodes: DefinitionNode[];
  edges: DefinitionEdge[];
}

type Step = Record<string, unknown>;

function stepsOf(value: unknown): Step[] {
  return Array.isArray(value)
    ? value.filter((step): step is Step => typeof step === 'object' && step !== null && typeof (step as Step)['name'] === 'string')
    : [];
}

function detailOf(step: Step): string | null {
  const text = (key: string) => (typeof step[key] === 'string' ? (step[key] as string) : null);
  switch (step['type']) {
    case 'service_call':
      return text('service') && text('method') ? `${text('service')}.${text('method')}` : null;
    case 'sub_workflow':
      return text('workflow');
    case 'wait': {
      const event = step['event'];
      if (typeof event === 'object' && event !== null && typeof (event as Step)['name'] === 'string')
        return `event ${(event as Step)['name'] as string}`;
      if (typeof step['seconds'] === 'number') return `${step['seconds']} s`;
      return text('until');
    }
    default:
      return null;
  }
}

export function definitionGraph(definition: unknown): DefinitionGraph {
  const nodes: DefinitionNode[] = [];
  const edges: DefinitionEdge[] = [];
  const connect = (sources: readonly string[], target: string, label: string | null) => {
    for (const source of sources) edges.push({ id: `${source}->${target}`, source, target, label, kind: 'next' });
  };
  const compensation = (step: Step, id: string) => {
    const compensate = step['compensate'];
    if (typeof compensate !== 'object' || compensate === null) return;
    const call = compensate as Step;
    const detail =
      typeof call['service'] === 'string' && typeof call['method'] === 'string' ? `${call['service']}.${call['method']}` : null;
    const target = `${id}:compensate`;
    nodes.push({ id: target, stepType: 'compensation', detail, compensates: id });
    edges.push({ id: `${id}->${target}`, source: id, target, label: 'undo', kind: 'compensation' });
  };

  /** Adds a sequence after `entries`; answers the nodes the next step continues from. */
  const chain = (steps: readonly Step[], entries: readonly string[], firstLabel: string | null): string[] => {
    let previous = [...entries];
    steps.forEach((step, index) => {
      const id = step['name'] as string;
      const workflow = step['type'] === 'sub_workflow' && typeof step['workflow'] === 'string' ? { workflow: step['workflow'] } : {};
      nodes.push({ id, stepType: typeof step['type'] === 'string' ? step['type'] : 'unknown', detail: detailOf(step), ...workflow });
      connect(previous, id, index === 0 ? firstLabel : null);
      compensation(step, id);
      if (step['type'] === 'condition') {
        const whenTrue = stepsOf(step['then']);
        const whenFalse = stepsOf(step['else']);
        const thenExits = whenTrue.length ? chain(whenTrue, [id], 'then') : [id];
        const elseExits = whenFalse.length ? chain(whenFalse, [id], 'else') : [id];
        previous = [...new Set([...thenExits, ...elseExits])];
      } else if (step['type'] === 'parallel') {
        const branches = Array.isArray(step['branches']) ? step['branches'].map(stepsOf) : [];
        previous = branches.flatMap((branch, branchIndex) => (branch.length ? chain(branch, [id], `branch ${branchIndex + 1}`) : [id]));
      } else {
        previous = [id];
      }
    });
    return previous;
  };

  const root = typeof definition === 'object' && definition !== null ? (definition as Step)['steps'] : undefined;
  chain(stepsOf(root), [], null);
  return { nodes, edges };
}
