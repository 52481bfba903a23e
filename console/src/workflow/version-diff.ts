import { diffLines } from 'diff';

/** One row of a side-by-side diff: the old line on the left, the new on the right; either may be absent. */
export interface DiffRow {
  left: { number: number; text: string; changed: boolean } | null;
  right: { number: number; text: string; changed: boolean } | null;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `value` with each object's keys in the order `model` has them where it has them too (the rest after, in
 * their own order), array items following the model's items by position. Versions are kept in their
 * author's key order, which two versions need not share (a version saved before that order was kept has
 * jsonb's): the side laid out on the other's order differs from it only where the content does.
 */
export function inOrderOf(value: unknown, model: unknown): unknown {
  if (Array.isArray(value)) return value.map((item, index) => inOrderOf(item, Array.isArray(model) ? model[index] : undefined));
  if (!isObject(value)) return value;
  const shape = isObject(model) ? model : {};
  const keys = [
    ...Object.keys(shape).filter((key) => Object.hasOwn(value, key)),
    ...Object.keys(value).filter((key) => !Object.hasOwn(shape, key)),
  ];
  return Object.fromEntries(keys.map((key) => [key, inOrderOf(value[key], shape[key])]));
}

const json = (value: unknown): string => JSON.stringify(value, null, 2) ?? 'null';

function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Two definitions side by side (jsdiff's line diff of their JSON): `after` as its author wrote it, `before`
 * laid out in its order (inOrderOf). Unchanged lines face each other, a removed run faces the added run
 * that replaced it, line by line, the shorter padded.
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
  for (const part of diffLines(json(inOrderOf(before, after)), json(after))) {
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
