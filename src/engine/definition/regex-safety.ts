/**
 * A regular expression cannot be interrupted once it runs, so JSONata's evaluation timeout does not help
 * against catastrophic backtracking. This is the classic star-height check (as in `safe-regex`): a
 * repeated group that itself contains a repetition, such as `(a+)+` or `(\w*,?)*`, is refused. It is a
 * heuristic: it refuses some harmless patterns and cannot see every slow one (e.g. `(a|a)*`), but it
 * removes the usual way to hang a worker with one line.
 */

interface Quantifier {
  length: number;
  /** Can match its atom more than once (`*`, `+`, `{2,}`, `{1,5}`); `?` and `{1}` cannot. */
  repeats: boolean;
}

interface Group {
  start: number;
  repeatsInside: boolean;
}

const BRACES = /^\{(\d+)(,(\d*))?\}/;

function quantifierAt(pattern: string, index: number): Quantifier | undefined {
  const char = pattern[index];
  let length: number;
  let repeats: boolean;
  if (char === '*' || char === '+') {
    length = 1;
    repeats = true;
  } else if (char === '?') {
    length = 1;
    repeats = false;
  } else if (char === '{') {
    const match = BRACES.exec(pattern.slice(index));
    if (!match) return undefined;
    length = match[0].length;
    const unbounded = match[2] !== undefined && match[3] === '';
    const max = match[2] === undefined ? Number(match[1]) : Number(match[3]);
    repeats = unbounded || max > 1;
  } else {
    return undefined;
  }
  // A lazy or possessive marker belongs to the quantifier.
  if (pattern[index + length] === '?') length += 1;
  return { length, repeats };
}

/** Length of a group's opening: `(`, `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>`. */
function groupOpeningLength(pattern: string, index: number): number {
  if (pattern[index + 1] !== '?') return 1;
  const next = pattern[index + 2];
  if (next === ':' || next === '=' || next === '!') return 3;
  if (next === '<') {
    const after = pattern[index + 3];
    if (after === '=' || after === '!') return 4;
    const close = pattern.indexOf('>', index + 3);
    return close === -1 ? 3 : close - index + 1;
  }
  return 2;
}

/** End (exclusive) of the character class starting at `index` (`[`). */
function classEnd(pattern: string, index: number): number {
  let cursor = index + 1;
  if (pattern[cursor] === '^') cursor += 1;
  if (pattern[cursor] === ']') cursor += 1;
  while (cursor < pattern.length && pattern[cursor] !== ']') cursor += pattern[cursor] === '\\' ? 2 : 1;
  return cursor + 1;
}

/** The offending group (e.g. `(a+)+`) when the pattern nests repetition, otherwise undefined. */
export function nestedRepetition(pattern: string): string | undefined {
  // The open groups (the whole pattern first): where each starts and whether something inside repeats.
  const groups: Group[] = [{ start: 0, repeatsInside: false }];
  const current = () => groups[groups.length - 1] as Group;
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index];
    if (char === '(') {
      groups.push({ start: index, repeatsInside: false });
      index += groupOpeningLength(pattern, index);
      continue;
    }
    if (char === ')' && groups.length > 1) {
      const group = groups.pop() as Group;
      const end = index + 1;
      const quantifier = quantifierAt(pattern, end);
      if (quantifier?.repeats && group.repeatsInside) return pattern.slice(group.start, end + quantifier.length);
      if (group.repeatsInside || quantifier?.repeats) current().repeatsInside = true;
      index = end + (quantifier?.length ?? 0);
      continue;
    }
    let atomEnd: number;
    if (char === '\\') atomEnd = index + 2;
    else if (char === '[') atomEnd = classEnd(pattern, index);
    else atomEnd = index + 1;
    const quantifier = quantifierAt(pattern, atomEnd);
    if (quantifier?.repeats) current().repeatsInside = true;
    index = atomEnd + (quantifier?.length ?? 0);
  }
  return undefined;
}
