import { ReactFlow, useNodesState, type Edge } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect } from 'react';
import type { DefinitionEdge } from './definition-graph';
import { StepNode, type StepNodeType } from './StepNode';

const nodeTypes = { step: StepNode };

/** React Flow's edge for a definition edge: compensation edges dashed and red (styles.css). */
export function flowEdge(edge: DefinitionEdge, animated = false): Edge {
  return { ...edge, label: edge.label ?? undefined, animated, className: edge.kind === 'compensation' ? 'compensation-edge' : undefined };
}

interface Props {
  nodes: StepNodeType[];
  edges: Edge[];
  label: string;
  onSelect?(key: string): void;
}

/** A laid-out definition graph: read-only, fitted to its box, a node selected by click or keyboard. */
export function FlowGraph({ nodes: current, edges, label, onSelect }: Props) {
  // React Flow measures each node once; a node given again keeps its measurements (or it would stay hidden).
  const [nodes, setNodes, onNodesChange] = useNodesState<StepNodeType>([]);
  useEffect(() => {
    setNodes((previous) => {
      const measured = new Map(previous.map((node) => [node.id, node.measured]));
      return current.map((node) => ({ ...node, measured: measured.get(node.id) }));
    });
  }, [current, setNodes]);
  return (
    <div className="run-graph" aria-label={label}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={(changes) => {
          onNodesChange(changes);
          // A node selected with the keyboard (Tab to it, Enter) opens its panel as a click does.
          for (const change of changes) if (change.type === 'select' && change.selected) onSelect?.(change.id);
        }}
        nodesDraggable={false}
        nodesConnectable={false}
        onNodeClick={(_event, node) => onSelect?.(node.id)}
        fitView
        fitViewOptions={{ maxZoom: 1 }}
        minZoom={0.2}
      />
    </div>
  );
}
