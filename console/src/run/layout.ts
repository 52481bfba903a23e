import dagre from '@dagrejs/dagre';
import type { DefinitionGraph } from './definition-graph.js';

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 64;

/** Top-left positions of the nodes, laid out top to bottom by dagre. */
export function layoutGraph(graph: DefinitionGraph): Map<string, { x: number; y: number }> {
  const layout = new dagre.graphlib.Graph();
  // tight-tree ranks the built-in workflows exactly as dagre's default (network simplex) does, in about
  // half its time on a long run's graph: it is laid out on the main thread while the page opens.
  layout.setGraph({ rankdir: 'TB', nodesep: 32, ranksep: 48, ranker: 'tight-tree' });
  layout.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) layout.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of graph.edges) layout.setEdge(edge.source, edge.target);
  dagre.layout(layout);
  const positions = new Map<string, { x: number; y: number }>();
  for (const node of graph.nodes) {
    const placed = layout.node(node.id);
    positions.set(node.id, { x: placed.x - NODE_WIDTH / 2, y: placed.y - NODE_HEIGHT / 2 });
  }
  return positions;
}
