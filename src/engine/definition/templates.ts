import type { JsonObject, JsonValue } from '../../entities/json.js';
import { AppError } from '../../errors.js';
import { childPath, type PathSegment } from './json-path.js';
import { assertNever } from './step-types.js';
import { withFields } from '../../infra/with-fields.js';

/**
 * `${…}` templates in definition values (params, compensation params, transform output, wait `until`,
 * sub-workflow input).
 *
 * Syntax inside `${ }` (surrounding whitespace allowed): a dotted path of identifiers
 * (`[A-Za-z_][A-Za-z0-9_]*`) with optional `[n]` array indexes:
 * - `${context.lead_id}`: the run's context;
 * - `${steps.<name>.output.x}` (or `.status`): a step's record;
 * - `${tenant.id}`, `${tenant.slug}`, `${tenant.name}`: the tenant the run belongs to;
 * - anything else (`${lead_id}`, `${quote.items[0].id}`) is a bare path into the merged context. A bare
 *   path cannot start with `context`, `steps` or `tenant`: a context key of that name is `${context.steps}`.
 *
 * The run's context as templates and expressions see it has `tenant_id` (the run's tenant id) when the
 * caller gave none: the seeds' `"${context.tenant_id}"` works without it (`runContext`).
 * No operators, calls or nested braces: logic belongs in JSONata (`transform`/`condition`).
 *
 * Escape: `$${` stands for a literal `${` (`"$${not.a.template}"` yields `"${not.a.template}"`).
 *
 * A string that is exactly one template yields the referenced value with its JSON type; templates inside
 * a longer string are interpolated (strings as is, objects and arrays JSON-stringified, null as `null`).
 * Only values are templated, never object keys. A reference that resolves to nothing is an error;
 * `null` is a value.
 */

export type TemplateReference =
  | { kind: 'context'; path: PathSegment[] }
  | { kind: 'step'; step: string; path: PathSegment[] }
  | { kind: 'tenant'; path: PathSegment[] }
  | { kind: 'bare'; path: PathSegment[] };

/** The tenant a run belongs to, as `${tenant.…}` and the expressions' `tenant` show it. */
export interface TenantView {
  id: string;
  slug: string;
  name: string;
}

export const TENANT_FIELDS: readonly (keyof TenantView)[] = ['id', 'slug', 'name'];

/** The context a run's templates and expressions read: the stored one, with `tenant_id` filled in when the caller left it out. */
export function runContext(context: JsonObject, tenant: TenantView | undefined): JsonObject {
  if (!tenant || Object.hasOwn(context, 'tenant_id')) return context;
  return withFields(context, { tenant_id: tenant.id });
}

/** What a step looks like to templates and expressions. */
export interface StepView {
  status: string;
  output?: JsonValue;
}

/**
 * `steps` must be built in completion order (object keys keep insertion order, and step names are never
 * integer-like): the merged context overlays outputs in that order unless an explicit order is given.
 */
export interface TemplateScope {
  context: JsonObject;
  steps: Record<string, StepView>;
  /** The run's tenant; `${tenant.…}` resolves to nothing without it. */
  tenant?: TenantView;
}

export interface FoundTemplate {
  /** JSON path of the string holding the template. */
  path: string;
  /** The template as written, `${…}` included. */
  source: string;
  reference: TemplateReference;
}

export interface TemplateSyntaxError {
  path: string;
  source: string;
  message: string;
}

type TemplatePart = { kind: 'text'; text: string } | { kind: 'template'; source: string; reference: TemplateReference };

interface ParsedString {
  parts: TemplatePart[];
  errors: { source: string; message: string }[];
}

const PATH_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[(?:0|[1-9][0-9]*)\])*$/;
const SEGMENT_PATTERN = /\.?([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+)\]/g;

function parseReference(inner: string): TemplateReference | string {
  const text = inner.trim();
  if (text === '') return 'empty template';
  if (!PATH_PATTERN.test(text)) {
    return `"${text}" is not a path such as context.x, steps.<name>.output.x or x.y[0]`;
  }
  const segments = [...text.matchAll(SEGMENT_PATTERN)].map((match): PathSegment => match[1] ?? Number(match[2]));
  const [head, ...rest] = segments;
  if (head === 'context') return { kind: 'context', path: rest };
  if (head === 'tenant') {
    const [field] = rest;
    if (field !== undefined && !TENANT_FIELDS.some((known) => known === field))
      return `the run's tenant has ${TENANT_FIELDS.join(', ')}, not "${String(field)}"`;
    return { kind: 'tenant', path: rest };
  }
  if (head === 'steps') {
    const [step, ...path] = rest;
    if (typeof step !== 'string') return '"steps" must be followed by a step name, as in steps.<name>.output.x';
    return { kind: 'step', step, path };
  }
  return { kind: 'bare', path: segments };
}

function parseString(value: string): ParsedString {
  const parts: TemplatePart[] = [];
  const errors: ParsedString['errors'] = [];
  let text = '';
  let index = 0;
  while (index < value.length) {
    if (value.startsWith('$${', index)) {
      text += '${';
      index += 3;
      continue;
    }
    if (!value.startsWith('${', index)) {
      text += value[index];
      index += 1;
      continue;
    }
    const close = value.indexOf('}', index + 2);
    if (close === -1) {
      errors.push({ source: value.slice(index), message: 'unclosed "${": missing "}"' });
      text += value.slice(index);
      break;
    }
    const source = value.slice(index, close + 1);
    const inner = value.slice(index + 2, close);
    index = close + 1;
    const reference = inner.includes('{') ? 'templates cannot be nested or contain "{"' : parseReference(inner);
    if (typeof reference === 'string') {
      errors.push({ source, message: reference });
      text += source;
      continue;
    }
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
    parts.push({ kind: 'template', source, reference });
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return { parts, errors };
}

function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lookup(root: JsonValue | undefined, path: readonly PathSegment[]): JsonValue | undefined {
  let current = root;
  for (const segment of path) {
    if (typeof segment === 'number') {
      current = Array.isArray(current) ? current[segment] : undefined;
    } else {
      // Own properties only: `constructor` or `__proto__` are never data.
      current = isJsonObject(current) && Object.hasOwn(current, segment) ? current[segment] : undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

/**
 * The seeds' merged context: the run's context overlaid, shallowly, with each completed step's output
 * object, in completion order (`order` if given, otherwise the insertion order of `scope.steps`).
 */
export function mergedContext(scope: TemplateScope, order?: readonly string[]): JsonObject {
  const merged = new Map<string, JsonValue>(Object.entries(scope.context));
  for (const name of order ?? Object.keys(scope.steps)) {
    const step = Object.hasOwn(scope.steps, name) ? scope.steps[name] : undefined;
    if (step?.status !== 'completed' || !isJsonObject(step.output)) continue;
    for (const [key, value] of Object.entries(step.output)) merged.set(key, value);
  }
  // fromEntries defines own properties, so a `__proto__` key stays data.
  return Object.fromEntries(merged);
}

function stepView(step: StepView): JsonObject {
  return step.output === undefined ? { status: step.status } : { status: step.status, output: step.output };
}

function unresolvedReason(reference: TemplateReference, scope: TemplateScope): string {
  if (reference.kind !== 'step') return '';
  const step = Object.hasOwn(scope.steps, reference.step) ? scope.steps[reference.step] : undefined;
  if (!step) return ` (step "${reference.step}" has not run)`;
  if (step.status !== 'completed') return ` (step "${reference.step}" is ${step.status})`;
  return '';
}

/** Resolves every template in `value`; `where` names the step and the JSON path of `value` for errors. */
export function resolveTemplates(value: JsonValue, scope: TemplateScope, where: { step: string; path: string }): JsonValue {
  let merged: JsonObject | undefined;
  const resolveReference = (reference: TemplateReference): JsonValue | undefined => {
    switch (reference.kind) {
      case 'context':
        return lookup(scope.context, reference.path);
      case 'tenant':
        return scope.tenant ? lookup({ ...scope.tenant }, reference.path) : undefined;
      case 'step': {
        const step = Object.hasOwn(scope.steps, reference.step) ? scope.steps[reference.step] : undefined;
        return step ? lookup(stepView(step), reference.path) : undefined;
      }
      case 'bare':
        merged ??= mergedContext(scope);
        return lookup(merged, reference.path);
      default:
        return assertNever(reference, 'template reference');
    }
  };

  const resolveString = (text: string, path: string): JsonValue => {
    const { parts, errors } = parseString(text);
    const [error] = errors;
    if (error) {
      throw new AppError('VALIDATION', `step "${where.step}": malformed template ${error.source} at ${path}: ${error.message}`, {
        details: { step: where.step, path, template: error.source },
      });
    }
    const resolvePart = (part: TemplatePart): JsonValue => {
      if (part.kind === 'text') return part.text;
      const resolved = resolveReference(part.reference);
      if (resolved === undefined) {
        throw new AppError(
          'VALIDATION',
          `step "${where.step}": ${part.source} at ${path} resolves to nothing${unresolvedReason(part.reference, scope)}`,
          { details: { step: where.step, path, template: part.source } },
        );
      }
      return resolved;
    };
    const [only] = parts;
    if (parts.length === 1 && only?.kind === 'template') return resolvePart(only);
    return parts
      .map(resolvePart)
      .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
      .join('');
  };

  const visit = (node: JsonValue, path: string): JsonValue => {
    if (typeof node === 'string') return resolveString(node, path);
    if (Array.isArray(node)) return node.map((item, index) => visit(item, childPath(path, index)));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, visit(item, childPath(path, key))]));
    }
    return node;
  };

  return visit(value, where.path);
}

/** Every template and every template syntax error in `value` (any shape: the validator reads raw input). */
export function findTemplates(value: unknown, basePath: string): { templates: FoundTemplate[]; errors: TemplateSyntaxError[] } {
  const templates: FoundTemplate[] = [];
  const errors: TemplateSyntaxError[] = [];
  const visit = (node: unknown, path: string): void => {
    if (typeof node === 'string') {
      const parsed = parseString(node);
      for (const part of parsed.parts) {
        if (part.kind === 'template') templates.push({ path, source: part.source, reference: part.reference });
      }
      for (const error of parsed.errors) errors.push({ path, ...error });
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, childPath(path, index)));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) visit(item, childPath(path, key));
    }
  };
  visit(value, basePath);
  return { templates, errors };
}
