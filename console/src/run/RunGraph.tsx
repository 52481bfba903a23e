import { memo, useCallback, useMemo } from 'react';
import type { RunStepFragment } from '../generated/graphql';
import { definitionGraph } from './definition-graph';
import { FlowGraph, flowEdge } from './FlowGraph';
import { layoutGraph } from './layout';
import type { StepNodeType } from './StepNode';

interface Props {
  definition: unknown;
  steps: readonly RunStepFragment[];
  selected: string | null;
  onSelect(key: string): void;
}

/**
 * The run's workflow version as a graph; each step in the status its record has (not started:
 * NOT_STARTED), each compensation in its own (COMPLETED or FAILED once it ran). Selecting a
 * compensation selects the step it undoes.
 */
export const RunGraph = memo(function RunGraph({ definition, steps, selected, onSelect }: Props) {
  const graph = useMemo(() => definitionGraph(definition), [definition]);
  const positions = useMemo(() => layoutGraph(graph), [graph]);
  const records = useMemo(() => new Map(steps.map((step) => [step.key, step])), [steps]);
  const nodes: StepNodeType[] = useMemo(
    () =>
      graph.nodes.map((node) => {
        const record = records.get(node.compensates ?? node.id);
        const status = node.compensates ? (record?.compensation?.status.toUpperCase() ?? 'NOT_STARTED') : (record?.status ?? 'NOT_STARTED');
        return {
          id: node.id,
          type: 'step',
          position: positions.get(node.id) ?? { x: 0, y: 0 },
          data: { ...node, key: node.id, status, attempts: node.compensates ? 0 : (record?.attempts ?? 0), selected: node.id === selected },
        };
      }),
    [graph, positions, records, selected],
  );
  // Edges into a running step are animated; the list is made again only when that set changes.
  const running = [...records.values()]
    .filter((step) => step.status === 'RUNNING')
    .map((step) => step.key)
    .join('\n');
  const edges = useMemo(() => {
    const into = new Set(running.split('\n'));
    return graph.edges.map((edge) => flowEdge(edge, into.has(edge.target)));
  }, [graph, running]);
  const byId = useMemo(() => new Map(graph.nodes.map((node) => [node.id, node.compensates ?? node.id])), [graph]);
  const select = useCallback((id: string) => onSelect(byId.get(id) ?? id), [byId, onSelect]);
  return <FlowGraph nodes={nodes} edges={edges} label="Workflow graph" onSelect={select} />;
});
