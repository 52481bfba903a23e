import { AppError } from '../../errors.js';
import type { JsonValue } from '../../entities/json.js';

/** `{{ name }}` or `{{ customer.name }}`; nothing else is syntax, so a template cannot run code. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}/g;

export type Escape = (value: string) => string;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml: Escape = (value) => value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
export const noEscape: Escape = (value) => value;

/** The dotted paths a template uses that `variables` does not give (or gives as an object or a list). */
export function missingVariables(template: string, variables: Record<string, JsonValue>): string[] {
  const missing = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) {
    const path = match[1] ?? '';
    if (lookup(variables, path) === undefined) missing.add(path);
  }
  return [...missing];
}

/** Fills every placeholder, escaping values with `escape`; throws VALIDATION naming each missing variable. */
export function renderTemplate(template: string, variables: Record<string, JsonValue>, escape: Escape): string {
  const missing = missingVariables(template, variables);
  if (missing.length > 0) {
    throw new AppError('VALIDATION', `missing template variables: ${missing.join(', ')}`, { details: { missing } });
  }
  return template.replace(PLACEHOLDER, (_, path: string) => escape(lookup(variables, path) ?? ''));
}

/** A scalar's text, or undefined when the path leads nowhere or to an object or list. Own keys only. */
function lookup(variables: Record<string, JsonValue>, path: string): string | undefined {
  let current: JsonValue | undefined = variables;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  if (current === null) return '';
  if (typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean') return String(current);
  return undefined;
}
