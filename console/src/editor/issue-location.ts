import { findNodeAtLocation, parseTree, type Node, type Segment } from 'jsonc-parser';

/**
 * Where an issue of `validateWorkflowDefinition` is in the editor's text. The server prints paths as
 * `$.steps[2].params.lead_id`, quoting keys that are not identifiers (`$.params['first name']`); the text
 * is parsed with positions (jsonc-parser) and the path followed as far as it exists.
 */
export function parseIssuePath(path: string): Segment[] {
  const segments: Segment[] = [];
  const pattern = /\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]/gy;
  pattern.lastIndex = path.startsWith('$') ? 1 : 0;
  for (let match = pattern.exec(path); match; match = pattern.exec(path)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push((match[3] ?? '').replace(/\\(.)/g, '$1'));
  }
  return segments;
}

export interface TextRange {
  from: number;
  to: number;
}

/** A node's place: a property's key (its value may be long), else the node itself up to its first line's end. */
function rangeOf(node: Node, text: string): TextRange {
  const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
  const target = key ?? node;
  const lineEnd = text.indexOf('\n', target.offset);
  const end = target.offset + target.length;
  return { from: target.offset, to: lineEnd >= 0 && lineEnd < end ? lineEnd : end };
}

/** The range an issue's path names in `text`; the deepest part of it that exists; the whole text's first line when none does. */
export function locateIssue(text: string, path: string): TextRange {
  const root = parseTree(text);
  const fallback = { from: 0, to: Math.max(text.indexOf('\n'), Math.min(text.length, 1)) };
  if (!root) return fallback;
  const segments = parseIssuePath(path);
  for (let length = segments.length; length >= 0; length -= 1) {
    const node = findNodeAtLocation(root, segments.slice(0, length));
    if (node) return rangeOf(node, text);
  }
  return fallback;
}
