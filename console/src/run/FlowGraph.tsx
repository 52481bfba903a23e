import { ReactFlow, useNodesState, type Edge } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useEffect, useState } from 'react';
import type { DefinitionEdge } from './definition-graph';
import { NODE_HEIGHT, NODE_WIDTH } from './layout';
import { StepNode, type StepNodeData, type StepNodeType } from './StepNode';

const nodeTypes = { step: StepNode };

/** React Flow's edge for a definition edge: compensation edges dashed and red (styles.css). */
export function flowEdge({ label, ...edge }: DefinitionEdge, animated = false): Edge {
  return {
    ...edge,
    animated,
    ...(label === null ? {} : { label }),
    ...(edge.kind === 'compensation' ? { className: 'compensation-edge' } : {}),
  };
}

function samePlace(a: StepNodeType, b: StepNodeType): boolean {
  return a.position.x === b.position.x && a.position.y === b.position.y && a.type === b.type;
}

function shallowEqual(a: StepNodeData, b: StepNodeData): boolean {
  const keys = Object.keys(a) as (keyof StepNodeData)[];
  return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]));
}

interface Props {
  nodes: StepNodeType[];
  edges: Edge[];
  label: string;
  onSelect?(key: string): void;
}

/**
 * The nodes to give React Flow: a node whose position and data did not change is given again as the same
 * object, so that React Flow draws again only the nodes that changed (a live run changes one or two a
 * frame, not all sixty); React Flow measures each node once, and a node given again keeps its
 * measurements (or it would stay hidden). Nothing changed: the same list.
 */
function keepUnchanged(previous: StepNodeType[], current: StepNodeType[]): StepNodeType[] {
  const before = new Map(previous.map((node) => [node.id, node]));
  const next = current.map((node) => {
    const kept = before.get(node.id);
    if (kept && samePlace(kept, node) && shallowEqual(kept.data, node.data)) return kept;
    // The size it was laid out with: drawn at once, before React Flow has measured it.
    const measured = kept?.measured;
    return { ...node, initialWidth: NODE_WIDTH, initialHeight: NODE_HEIGHT, ...(measured === undefined ? {} : { measured }) };
  });
  return next.length === previous.length && next.every((node, i) => node === previous[i]) ? previous : next;
}

/** A laid-out definition graph: read-only, fitted to its box, a node selected by click or keyboard. */
export const FlowGraph = memo(function FlowGraph({ nodes: current, edges, label, onSelect }: Props) {
  // The first nodes are there from the first render (not one commit later, from the effect).
  const [first] = useState(() => keepUnchanged([], current));
  const [nodes, setNodes, onNodesChange] = useNodesState<StepNodeType>(first);
  useEffect(() => setNodes((previous) => keepUnchanged(previous, current)), [current, setNodes]);
  return (
    <div
      className="run-graph"
      aria-label={label}
      onKeyDown={(event) => {
        // Enter or Space on a focused node opens its panel, also when React Flow still holds it selected
        // (a panel closed with Escape): its own selection then reports no change.
        if (event.key !== 'Enter' && event.key !== ' ') return;
        const id =
          event.target instanceof HTMLElement && event.target.matches('.react-flow__node') ? event.target.dataset['id'] : undefined;
        if (id) onSelect?.(id);
      }}
    >
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
        // Read-only: Backspace on a focused node must not take it off the drawing.
        deleteKeyCode={null}
        onNodeClick={(_event, node) => onSelect?.(node.id)}
        fitView
        fitViewOptions={{ maxZoom: 1 }}
        minZoom={0.2}
      />
    </div>
  );
});
