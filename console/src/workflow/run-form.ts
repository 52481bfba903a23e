import { Validator, type Schema } from '@cfworker/json-schema';

/**
 * The Run form, derived from a workflow's `input` JSON Schema (draft 2020-12): one field per top-level
 * property, typed by the property's schema; the context built from the fields is checked in the browser
 * with the same schema (an interpreter: no eval under the CSP) before it is sent, and again by the server.
 */
export type FieldKind = 'text' | 'number' | 'integer' | 'boolean' | 'choice' | 'json';

export interface FormField {
  name: string;
  kind: FieldKind;
  required: boolean;
  description: string | null;
  /** A `choice` field's values (the property's `enum`). */
  options: readonly unknown[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(property: Json): FieldKind {
  if (Array.isArray(property['enum']) && property['enum'].length > 0) return 'choice';
  switch (property['type']) {
    case 'string':
      return 'text';
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    default:
      return 'json';
  }
}

/** The fields of a schema with top-level properties; null when there is none (the form is one JSON box). */
export function formFields(schema: unknown): FormField[] | null {
  if (!isObject(schema) || !isObject(schema['properties'])) return null;
  const required = new Set(
    Array.isArray(schema['required']) ? schema['required'].filter((name): name is string => typeof name === 'string') : [],
  );
  return Object.entries(schema['properties']).map(([name, property]) => {
    const shape = isObject(property) ? property : {};
    return {
      name,
      kind: kindOf(shape),
      required: required.has(name),
      description: typeof shape['description'] === 'string' ? shape['description'] : null,
      options: Array.isArray(shape['enum']) ? shape['enum'] : [],
    };
  });
}

/** What a field holds: the text typed (a choice: the JSON of the chosen value), or a checkbox's state. */
export type FieldValues = Record<string, string | boolean>;

export interface Built {
  context: Json;
  /** Problems by field name; '' for the form as a whole. */
  errors: Record<string, string>;
}

/** The context from the fields: empty fields left out, numbers and JSON parsed. */
export function buildContext(fields: readonly FormField[], values: FieldValues): Built {
  const context: Json = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.kind === 'boolean') {
      if (typeof value === 'boolean') context[field.name] = value;
      continue;
    }
    if (typeof value !== 'string' || value.trim() === '') continue;
    if (field.kind === 'text') context[field.name] = value;
    else if (field.kind === 'number' || field.kind === 'integer') context[field.name] = Number(value);
    else {
      try {
        context[field.name] = JSON.parse(value) as unknown;
      } catch {
        errors[field.name] = field.kind === 'choice' ? 'not one of the choices' : 'not valid JSON';
      }
    }
  }
  return { context, errors };
}

/** The schema's verdict on a context, each problem at the top-level field it concerns ('' when none). */
export function validateContext(schema: unknown, context: unknown): Record<string, string> {
  if (!isObject(schema)) return {};
  const verdict = new Validator(schema as Schema, '2020-12', false).validate(context);
  const errors: Record<string, string> = {};
  for (const problem of verdict.errors) {
    // `properties` only says a property failed: the property's own error says how.
    if (problem.keyword === 'properties') continue;
    const missing = problem.keyword === 'required' ? /"(.+)"/.exec(problem.error)?.[1] : undefined;
    const segment = problem.instanceLocation.split('/')[1];
    const field = missing ?? (segment === undefined ? '' : decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~'));
    const message = missing ? 'required' : problem.error;
    errors[field] ??= message;
  }
  return errors;
}

/**
 * A refused submit's problems in the form's order (its fields top to bottom, then what concerns no field
 * of it: '' for the input as a whole, or a property of a schema that has no fields), so the focus goes to
 * the first and the summary reads them as the form shows them.
 */
export function problemsInOrder(fields: readonly FormField[] | null, errors: Record<string, string>): Array<[string, string]> {
  const names = fields?.map((field) => field.name) ?? [];
  const onFields = names.flatMap((name): Array<[string, string]> => (errors[name] === undefined ? [] : [[name, errors[name]]]));
  const elsewhere = Object.entries(errors).filter(([name]) => !names.includes(name));
  return [...onFields, ...elsewhere];
}

/** What the form announces when it refuses to start a run. */
export function problemSummary(problems: ReadonlyArray<[string, string]>): string {
  const listed = problems.map(([name, message]) => `${name === '' ? 'the input' : name}: ${message.replace(/\.$/, '')}`).join('; ');
  return `Not started, ${problems.length === 1 ? '1 problem' : `${problems.length} problems`} to fix: ${listed}`;
}
