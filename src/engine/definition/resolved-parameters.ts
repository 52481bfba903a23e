import type { JsonValue } from '../../entities/json.js';
import { childPath } from './json-path.js';
import { assertNever, type StepDefinition } from './step-types.js';
import { findTemplates } from './templates.js';

/** A templated string of a step's definition beside what it resolved to. */
export interface ResolvedParameter {
  /** Where in the step, e.g. `$.params.customer_id`. */
  path: string;
  /** The string as written, `${…}` included. */
  template: string;
  /** What it resolved to; null when that was not recorded. */
  value: JsonValue | null;
}

/** A templated field of a step, and which of the step's records holds it resolved. */
export interface TemplatedField {
  field: string;
  template: JsonValue;
  resolvedIn: 'input' | 'output';
}

/** The fields whose resolved form the run records (a service call's params are its input, a transform's templated output its output). */
export function templatedFields(step: StepDefinition): TemplatedField[] {
  switch (step.type) {
    case 'service_call':
      return step.params === undefined ? [] : [{ field: 'params', template: step.params, resolvedIn: 'input' }];
    case 'sub_workflow':
      return step.input === undefined ? [] : [{ field: 'input', template: step.input, resolvedIn: 'input' }];
    case 'transform':
      return step.output === undefined ? [] : [{ field: 'output', template: step.output, resolvedIn: 'output' }];
    case 'condition':
    case 'wait':
    case 'parallel':
    case 'approval':
      return [];
    default:
      return assertNever(step, 'step');
  }
}

/** Each templated string under `template` paired with the value at the same place in `resolved`. */
export function pairTemplates(template: JsonValue, resolved: JsonValue | undefined, path: string): ResolvedParameter[] {
  if (typeof template === 'string') {
    return findTemplates(template, path).templates.length > 0 ? [{ path, template, value: resolved ?? null }] : [];
  }
  if (Array.isArray(template)) {
    return template.flatMap((item, index) =>
      pairTemplates(item, Array.isArray(resolved) ? resolved[index] : undefined, childPath(path, index)),
    );
  }
  if (template !== null && typeof template === 'object') {
    const inner = resolved !== null && typeof resolved === 'object' && !Array.isArray(resolved) ? resolved : undefined;
    return Object.entries(template).flatMap(([key, item]) =>
      item === undefined ? [] : pairTemplates(item, inner?.[key], childPath(path, key)),
    );
  }
  return [];
}

/** A recorded step's templates beside their values (its recorded input or output). */
export function resolvedParameters(
  step: StepDefinition,
  recorded: { input: JsonValue | null; output: JsonValue | null },
): ResolvedParameter[] {
  return templatedFields(step).flatMap(({ field, template, resolvedIn }) => {
    const resolved = recorded[resolvedIn];
    return pairTemplates(template, resolved === null ? undefined : resolved, `$.${field}`);
  });
}
