import { useMemo } from 'react';
import { definitionGraph } from '../run/definition-graph';
import { FlowGraph, flowEdge } from '../run/FlowGraph';
import { layoutGraph } from '../run/layout';
import type { StepNodeType } from '../run/StepNode';

interface Props {
  definition: unknown;
  /** Runs in which each step ended failed, by step key. */
  failures: ReadonlyMap<string, number>;
}

/** A workflow version as a graph: steps, branches, compensations (dashed), sub-workflows linked to their page. */
export function WorkflowGraph({ definition, failures }: Props) {
  const graph = useMemo(() => definitionGraph(definition), [definition]);
  const positions = useMemo(() => layoutGraph(graph), [graph]);
  const nodes: StepNodeType[] = useMemo(
    () =>
      graph.nodes.map((node) => ({
        id: node.id,
        type: 'step',
        position: positions.get(node.id) ?? { x: 0, y: 0 },
        data: {
          ...node,
          key: node.id,
          status: null,
          attempts: 0,
          selected: false,
          failures: node.compensates ? 0 : (failures.get(node.id) ?? 0),
        },
      })),
    [graph, positions, failures],
  );
  const edges = useMemo(() => graph.edges.map((edge) => flowEdge(edge)), [graph]);
  if (graph.nodes.length === 0) return <p className="muted">This definition has no steps.</p>;
  // Another shape (the editor's preview as you type) is fitted to the box again.
  const shape = graph.nodes.map((node) => node.id).join(' ');
  return <FlowGraph key={shape} nodes={nodes} edges={edges} label="Workflow graph" />;
}
