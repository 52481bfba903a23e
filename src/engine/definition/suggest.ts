import { canonicalMethodName } from '../../services/registry.js';

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The allowed key a misspelt one most likely meant: its camelCase form (the seeds' `timeout_seconds`),
 * the same word in another case, or a key within two edits (`critcal`).
 */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const camel = canonicalMethodName(key);
  const exact = allowed.find((candidate) => candidate === camel || candidate.toLowerCase() === key.toLowerCase());
  if (exact) return exact;
  let best: { key: string; distance: number } | undefined;
  for (const candidate of allowed) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && distance < key.length && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

/** ` (did you mean "x"?)` or nothing. */
export function didYouMean(key: string, allowed: readonly string[]): string {
  const suggestion = closestKey(key, allowed);
  return suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
}
