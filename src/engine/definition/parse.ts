import type { JsonObject } from '../../entities/json.js';
import { AppError } from '../../errors.js';
import { checkConcurrency } from './concurrency.js';
import { collectSteps, isRawObject, type CollectedStep, type RawObject } from './collect.js';
import { compileInputSchema } from './input-schema.js';
import { childPath } from './json-path.js';
import { checkReferences } from './references.js';
import type { ServiceCatalog } from './service-catalog.js';
import { checkServiceCalls } from './service-params.js';
import { checkStepShape } from './shape.js';
import type { DefinitionIssue, WorkflowDefinition } from './step-types.js';
import { checkSubWorkflows, type WorkflowLookup } from './sub-workflows.js';
import { didYouMean } from './suggest.js';
import { checkSchedules, checkTriggers } from './triggers.js';

export { assertContextMatches, validateWorkflowInput } from './input-schema.js';
export { findStep, walkSteps, type StepContainer, type WalkedStep } from './walk.js';
export type { WorkflowLookup } from './sub-workflows.js';

/**
 * Parsing and validation of a workflow definition when it is saved: every problem is collected (not
 * just the first), each with the JSON path where it is and what is wrong.
 */

export interface ParseContext {
  services: ServiceCatalog;
  /** The tenant's other workflows, to check sub_workflow targets and cycles. */
  workflows?: WorkflowLookup;
  /** The name the definition is saved under, to catch a sub_workflow leading back to it. */
  selfName?: string;
}

export type ParseResult = { ok: true; definition: WorkflowDefinition } | { ok: false; issues: DefinitionIssue[] };

const TOP_LEVEL_KEYS = ['steps', 'input', 'output', 'triggers', 'schedules', 'concurrency'];

/** The path of the first value that JSON cannot hold (undefined, a function, NaN…), if any. */
function firstNonJson(value: unknown, path: string): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = firstNonJson(item, childPath(path, index));
      if (found !== undefined) return found;
    }
    return undefined;
  }
  // GraphQL's JSON scalar builds object literals without a prototype: those are plain JSON objects too.
  const prototype: unknown = isRawObject(value) ? Object.getPrototypeOf(value) : undefined;
  if (isRawObject(value) && (prototype === Object.prototype || prototype === null)) {
    for (const [key, item] of Object.entries(value)) {
      const found = firstNonJson(item, childPath(path, key));
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return path;
}

function checkTopLevel(raw: RawObject, issues: DefinitionIssue[]): unknown[] {
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_KEYS.includes(key)) {
      issues.push({
        path: childPath('$', key),
        message: `unknown property "${key}" of a workflow definition${didYouMean(key, TOP_LEVEL_KEYS)}`,
      });
    }
  }
  const { steps } = raw;
  if (!Array.isArray(steps)) {
    issues.push({ path: '$.steps', message: steps === undefined ? 'missing required property "steps"' : 'must be an array of steps' });
    return [];
  }
  if (steps.length === 0) issues.push({ path: '$.steps', message: 'a workflow needs at least one step' });
  return steps;
}

function checkDuplicateNames(steps: readonly CollectedStep[], issues: DefinitionIssue[]): void {
  const first = new Map<string, string>();
  for (const step of steps) {
    if (step.name === undefined) continue;
    const earlier = first.get(step.name);
    if (earlier === undefined) first.set(step.name, step.path);
    else issues.push({ path: childPath(step.path, 'name'), message: `duplicate step name "${step.name}" (first used at ${earlier})` });
  }
}

function checkInputSchema(input: unknown, issues: DefinitionIssue[]): void {
  if (!isRawObject(input)) {
    issues.push({ path: '$.input', message: 'must be a JSON Schema object' });
    return;
  }
  try {
    // Safe: the whole definition was checked to be JSON before.
    compileInputSchema(input as JsonObject);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    issues.push({ path: '$.input', message: error.message });
  }
}

export function parseWorkflowDefinition(raw: unknown, ctx: ParseContext): ParseResult {
  if (!isRawObject(raw)) return { ok: false, issues: [{ path: '$', message: 'a workflow definition must be an object with "steps"' }] };
  const nonJson = firstNonJson(raw, '$');
  if (nonJson !== undefined) return { ok: false, issues: [{ path: nonJson, message: 'must be a JSON value' }] };

  const issues: DefinitionIssue[] = [];
  const steps = collectSteps(checkTopLevel(raw, issues), '$.steps', issues);
  for (const step of steps) checkStepShape(step, issues);
  checkDuplicateNames(steps, issues);
  checkReferences(steps, raw.output, issues);
  checkServiceCalls(steps, ctx.services, issues);
  checkSubWorkflows(steps, ctx, issues);
  if (Object.hasOwn(raw, 'input')) checkInputSchema(raw.input, issues);
  if (Object.hasOwn(raw, 'triggers')) checkTriggers(raw.triggers, issues);
  if (Object.hasOwn(raw, 'concurrency')) checkConcurrency(raw.concurrency, issues);
  if (Object.hasOwn(raw, 'schedules'))
    checkSchedules(raw.schedules, isRawObject(raw.input) ? (raw.input as JsonObject) : undefined, issues);

  if (issues.length > 0) return { ok: false, issues };
  // Every property of every step was checked above, so the cast states what the checks proved.
  return { ok: true, definition: structuredClone(raw) as unknown as WorkflowDefinition };
}
