import { diffLines } from 'diff';

/** One row of a side-by-side diff: the old line on the left, the new on the right; either may be absent. */
export interface DiffRow {
  left: { number: number; text: string; changed: boolean } | null;
  right: { number: number; text: string; changed: boolean } | null;
}

/** JSON with every object's keys sorted: two versions differ only where their content does. */
export function canonicalJson(value: unknown): string {
  const sorted = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(sorted);
    if (typeof item === 'object' && item !== null) {
      return Object.fromEntries(
        Object.keys(item)
          .sort()
          .map((key) => [key, sorted((item as Record<string, unknown>)[key])]),
      );
    }
    return item;
  };
  return JSON.stringify(sorted(value), null, 2) ?? 'null';
}

function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Two definitions side by side (jsdiff's line diff of their canonical JSON): unchanged lines face each
 * other, a removed run faces the added run that replaced it, line by line, the shorter padded.
 */
export function sideBySide(before: unknown, after: unknown): DiffRow[] {
  const rows: DiffRow[] = [];
  let left = 0;
  let right = 0;
  let removed: string[] = [];
  const flushRemoved = (added: string[]) => {
    for (let i = 0; i < Math.max(removed.length, added.length); i += 1) {
      const old = removed[i];
      const fresh = added[i];
      rows.push({
        left: old === undefined ? null : { number: ++left, text: old, changed: true },
        right: fresh === undefined ? null : { number: ++right, text: fresh, changed: true },
      });
    }
    removed = [];
  };
  for (const part of diffLines(canonicalJson(before), canonicalJson(after))) {
    const lines = linesOf(part.value);
    if (part.removed) {
      removed.push(...lines);
    } else if (part.added) {
      flushRemoved(lines);
    } else {
      flushRemoved([]);
      for (const text of lines)
        rows.push({ left: { number: ++left, text, changed: false }, right: { number: ++right, text, changed: false } });
    }
  }
  flushRemoved([]);
  return rows;
}
