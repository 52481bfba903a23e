import { Handle, Position, ReactFlow, useNodesState, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo } from 'react';
import type { RunStepFragment } from '../generated/graphql';
import { definitionGraph } from './definition-graph';
import { layoutGraph } from './layout';

type StepNodeData = { key: string; stepType: string; detail: string | null; status: string; attempts: number; selected: boolean };
type StepNodeType = Node<StepNodeData, 'step'>;

/** A step: its name, type and status, coloured by status (styles.css, data-status). */
function StepNode({ data }: NodeProps<StepNodeType>) {
  return (
    <div className="step-node" data-step={data.key} data-status={data.status} aria-selected={data.selected}>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="step-name">{data.key}</div>
      <div className="step-meta">
        <span>{data.stepType.replace('_', ' ')}</span>
        <span className="status" data-status={data.status}>
          {data.status.toLowerCase().replace('_', ' ')}
          {data.attempts > 1 ? ` · ${data.attempts} attempts` : ''}
        </span>
      </div>
      {data.detail ? <div className="step-detail">{data.detail}</div> : null}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}

const nodeTypes = { step: StepNode };

interface Props {
  definition: unknown;
  steps: readonly RunStepFragment[];
  selected: string | null;
  onSelect(key: string): void;
}

/** The run's workflow version as a graph; each step in the status its record has (not started: NOT_STARTED). */
export function RunGraph({ definition, steps, selected, onSelect }: Props) {
  const graph = useMemo(() => definitionGraph(definition), [definition]);
  const positions = useMemo(() => layoutGraph(graph), [graph]);
  const records = useMemo(() => new Map(steps.map((step) => [step.key, step])), [steps]);
  const current: StepNodeType[] = useMemo(
    () =>
      graph.nodes.map((node) => {
        const record = records.get(node.id);
        return {
          id: node.id,
          type: 'step',
          position: positions.get(node.id) ?? { x: 0, y: 0 },
          data: {
            key: node.id,
            stepType: node.stepType,
            detail: node.detail,
            status: record?.status ?? 'NOT_STARTED',
            attempts: record?.attempts ?? 0,
            selected: node.id === selected,
          },
        };
      }),
    [graph, positions, records, selected],
  );
  // React Flow measures each node once; a node given again keeps its measurements (or it would stay hidden).
  const [nodes, setNodes, onNodesChange] = useNodesState<StepNodeType>([]);
  useEffect(() => {
    setNodes((previous) => {
      const measured = new Map(previous.map((node) => [node.id, node.measured]));
      return current.map((node) => ({ ...node, measured: measured.get(node.id) }));
    });
  }, [current, setNodes]);
  const edges: Edge[] = graph.edges.map((edge) => ({ ...edge, label: edge.label ?? undefined, animated: records.get(edge.target)?.status === 'RUNNING' }));
  return (
    <div className="run-graph" aria-label="Workflow graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={(changes) => {
          onNodesChange(changes);
          // A node selected with the keyboard (Tab to it, Enter) opens its panel as a click does.
          for (const change of changes) if (change.type === 'select' && change.selected) onSelect(change.id);
        }}
        nodesDraggable={false}
        nodesConnectable={false}
        onNodeClick={(_event, node) => onSelect(node.id)}
        fitView
        minZoom={0.2}
      />
    </div>
  );
}
