/**
 * JSON paths as issues and errors print them: `$.steps[2].params.lead_id`. Keys that are not plain
 * identifiers are quoted (`$.params['first name']`) so a path always reads back unambiguously.
 */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends one key or index to a printed path. */
export function childPath(base: string, segment: PathSegment): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  if (IDENTIFIER.test(segment)) return `${base}.${segment}`;
  return `${base}['${segment.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

/** Prints segments under a root (default `$`). */
export function formatPath(segments: readonly PathSegment[], root = '$'): string {
  return segments.reduce<string>((path, segment) => childPath(path, segment), root);
}

/** Converts an ajv `instancePath` (a JSON Pointer such as `/customer/0/email`) to `$.customer[0].email`. */
export function fromJsonPointer(pointer: string, root = '$'): string {
  if (pointer === '') return root;
  const segments = pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((key): PathSegment => (/^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : key));
  return formatPath(segments, root);
}
