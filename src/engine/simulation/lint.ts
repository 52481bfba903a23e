import type { JsonValue } from '../../entities/json.js';
import type { ServiceRegistry } from '../../services/registry.js';
import { effectOf } from '../command-preview.js';
import { compileExpression, evaluateExpression, isTruthy } from '../definition/expressions.js';
import type { StepDefinition, WorkflowDefinition } from '../definition/step-types.js';
import { findTemplates } from '../definition/templates.js';
import { allSteps } from '../runtime/decider.js';

/** What a dry run finds in a (valid) definition that is likely a mistake. */
export const LINT_CODES = [
  'unreachable_step',
  'output_never_used',
  'external_call_without_retry',
  'wait_without_timeout',
  // Found by the dry run itself (simulate.ts): what the resolved values and the mocks were.
  'invalid_params',
  'mock_output_mismatch',
] as const;
export type LintCode = (typeof LINT_CODES)[number];

export interface Diagnostic {
  code: LintCode;
  step: string;
  message: string;
}

const KEYWORDS = new Set(['true', 'false', 'null', 'and', 'or', 'in']);

/** Identifiers an expression reads (string literals and `$functions` left out). */
function identifiers(expression: string): string[] {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""').replace(/\$[A-Za-z0-9_]*/g, '');
  return code.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
}

/** The value of an expression that reads nothing (`false`, `1 = 2`), else undefined. */
async function constantValue(expression: string): Promise<boolean | undefined> {
  if (identifiers(expression).some((name) => !KEYWORDS.has(name))) return undefined;
  try {
    return isTruthy(await evaluateExpression(compileExpression(expression), {}));
  } catch {
    return undefined;
  }
}

/** Every string of the definition a template or expression could read a step's output from. */
function readers(definition: WorkflowDefinition): { steps: Set<string>; names: Set<string> } {
  const steps = new Set<string>();
  const names = new Set<string>();
  const expressions: string[] = [];
  for (const step of allSteps(definition.steps)) {
    if (step.when) expressions.push(step.when);
    if ((step.type === 'transform' || step.type === 'condition') && step.expression) expressions.push(step.expression);
    if (step.type === 'wait' && step.event?.match) expressions.push(step.event.match);
  }
  const { templates } = findTemplates({ steps: definition.steps as unknown as JsonValue, output: definition.output ?? null }, '$');
  for (const { reference } of templates) {
    if (reference.kind === 'step') steps.add(reference.step);
    if (reference.kind === 'bare' && typeof reference.path[0] === 'string') names.add(reference.path[0]);
  }
  for (const expression of expressions) {
    for (const match of expression.matchAll(/steps\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)/g)) if (match[1]) steps.add(match[1]);
    for (const name of identifiers(expression)) names.add(name);
  }
  return { steps, names };
}

/** A step's output is read: by `steps.<name>`, or (bare, from the merged context) by one of its keys. */
function outputRead(step: StepDefinition, read: ReturnType<typeof readers>): boolean {
  if (read.steps.has(step.name)) return true;
  if (
    step.type !== 'transform' ||
    step.output === undefined ||
    step.output === null ||
    typeof step.output !== 'object' ||
    Array.isArray(step.output)
  ) {
    // Keys unknown (an expression's or a service's output): any bare read may be of it.
    return read.names.size > 0;
  }
  return Object.keys(step.output).some((key) => read.names.has(key));
}

export async function lintDefinition(definition: WorkflowDefinition, services: Pick<ServiceRegistry, 'resolve'>): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const unreachable = (steps: readonly StepDefinition[], why: string) => {
    for (const step of allSteps(steps)) diagnostics.push({ code: 'unreachable_step', step: step.name, message: `never runs: ${why}` });
  };
  const read = readers(definition);
  for (const step of allSteps(definition.steps)) {
    if (step.when !== undefined && (await constantValue(step.when)) === false)
      unreachable([step], `its when (${step.when}) is always false`);
    if (step.type === 'condition') {
      const constant = await constantValue(step.expression);
      if (constant === true) unreachable(step.else ?? [], `condition ${step.name} (${step.expression}) is always true`);
      if (constant === false) unreachable(step.then ?? [], `condition ${step.name} (${step.expression}) is always false`);
    }
    // Without a workflow `output`, the run's result is every step's output: each is used.
    const pure = step.type === 'transform' || (step.type === 'service_call' && effectOf(step, services) === 'none');
    if (definition.output !== undefined && pure && !outputRead(step, read)) {
      diagnostics.push({
        code: 'output_never_used',
        step: step.name,
        message: `nothing reads the output of ${step.name} (no steps.${step.name}, nor the workflow output)`,
      });
    }
    if (step.type === 'service_call' && effectOf(step, services) === 'external' && !step.retry) {
      diagnostics.push({
        code: 'external_call_without_retry',
        step: step.name,
        message: `${step.service}.${step.method} calls outside the database and has no retry policy: one blip fails the step`,
      });
    }
    if (step.type === 'wait' && step.event && step.event.timeoutSeconds === undefined) {
      diagnostics.push({
        code: 'wait_without_timeout',
        step: step.name,
        message: `waits for ${step.event.name} with no timeoutSeconds: the run may wait for ever`,
      });
    }
    if (step.type === 'approval' && !step.timeout) {
      diagnostics.push({
        code: 'wait_without_timeout',
        step: step.name,
        message: 'waits for people with no timeout: the run may wait for ever',
      });
    }
  }
  return diagnostics;
}
