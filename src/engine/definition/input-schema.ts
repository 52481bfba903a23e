import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import type { JsonObject } from '../../entities/json.js';
import { AppError } from '../../errors.js';
import { fromJsonPointer } from './json-path.js';

/**
 * A workflow's `input`: a JSON Schema (draft 2020-12, with ajv-formats' formats) that a run's context
 * must satisfy when it starts. Unknown keywords and formats are errors (ajv's strict schema mode), so a
 * typo such as `requried` is caught when the definition is saved instead of silently ignored.
 */

const MAX_CACHED_SCHEMAS = 256;

const ajv = new Ajv2020({
  allErrors: true,
  strictSchema: true,
  // Type-coupling and tuple rules reject reasonable schemas; they are style, not mistakes.
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  // Two workflows may use the same `$id`: schemas stay independent instead of registering globally.
  addUsedSchema: false,
  logger: false,
});
// CommonJS seen from ESM: the default import is module.exports, whose `default` is the plugin.
addFormatsPlugin.default(ajv);

/**
 * Compiled validators by schema text, least recently used first. A memo of a pure function, bounded, so
 * a server that sees many definitions does not keep every compiled schema (ajv's own cache entry is
 * dropped with it).
 */
const compiled = new Map<string, { schema: JsonObject; validate: ValidateFunction }>();

/** The validator of `schema`; throws AppError('VALIDATION') with ajv's message when it is not valid. */
export function compileInputSchema(schema: JsonObject): ValidateFunction {
  const key = JSON.stringify(schema);
  const hit = compiled.get(key);
  if (hit) {
    compiled.delete(key);
    compiled.set(key, hit);
    return hit.validate;
  }
  const copy = structuredClone(schema);
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(copy);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    throw new AppError('VALIDATION', `invalid JSON Schema: ${error.message}`, { cause: error });
  }
  compiled.set(key, { schema: copy, validate });
  if (compiled.size > MAX_CACHED_SCHEMAS) {
    const [oldestKey, oldest] = compiled.entries().next().value ?? [];
    if (oldestKey !== undefined && oldest) {
      compiled.delete(oldestKey);
      ajv.removeSchema(oldest.schema);
    }
  }
  return validate;
}

/** Every way `context` breaks `schema`, each as `<path>: <problem>` (e.g. `$.lead_id: must be string`). */
export function validateWorkflowInput(schema: JsonObject, context: unknown): string[] {
  const validate = compileInputSchema(schema);
  if (validate(context)) return [];
  return (validate.errors ?? []).map((error) => {
    const extra =
      error.keyword === 'additionalProperties' && typeof error.params.additionalProperty === 'string'
        ? ` ("${error.params.additionalProperty}")`
        : error.keyword === 'enum' && Array.isArray(error.params.allowedValues)
          ? `: ${error.params.allowedValues.map((value: unknown) => JSON.stringify(value)).join(', ')}`
          : '';
    return `${fromJsonPointer(error.instancePath)}: ${error.message ?? error.keyword}${extra}`;
  });
}

/** Refuses (VALIDATION, each problem in `details.problems`) a context the workflow's input schema does not accept: a start, a dry run. */
export function assertContextMatches(schema: JsonObject | undefined, context: JsonObject, workflow: string): void {
  if (!schema) return;
  const problems = validateWorkflowInput(schema, context);
  if (problems.length > 0)
    throw new AppError('VALIDATION', `the context does not match ${workflow}'s input schema: ${problems.join('; ')}`, {
      details: { problems },
    });
}
