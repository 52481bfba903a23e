import { AppError } from '../../errors.js';
import { isRawObject, type CollectedStep, type RawObject } from './collect.js';
import { compileExpression, referencedSteps } from './expressions.js';
import { childPath } from './json-path.js';
import { assertNever, STEP_TYPES, type DefinitionIssue, type StepType } from './step-types.js';
import { findTemplates } from './templates.js';

/**
 * Syntax of templates and expressions, and whether every `steps.<name>` they read names a step that has
 * surely run by then: an earlier step of the same sequence or of an enclosing one, or anything nested
 * in such a step (a step inside an earlier condition may have been skipped: the runtime says so). Not
 * the step itself (except in its own compensation, which runs after it completed), not a later step,
 * not an enclosing step, not a step of another branch.
 */

type Relation =
  | { kind: 'before' | 'self' | 'encloses' | 'inside' | 'later' }
  /** In another branch of `container` (a parallel's other branch, a condition's then vs else). */
  | { kind: 'other-branch'; container: CollectedStep };

/** Where `target` stands as seen from `from`. */
function relation(from: CollectedStep, target: CollectedStep): Relation {
  const depth = Math.min(from.frames.length, target.frames.length);
  for (let level = 0; level < depth; level += 1) {
    const mine = from.frames[level];
    const theirs = target.frames[level];
    if (!mine || !theirs) break;
    if (mine.sequence !== theirs.sequence) {
      // Sequences differ only below a common step: the one holding both branches.
      const container = from.parents[level - 1];
      if (container) return { kind: 'other-branch', container };
      break;
    }
    if (mine.index !== theirs.index) return { kind: mine.index > theirs.index ? 'before' : 'later' };
  }
  if (from.frames.length === target.frames.length) return { kind: 'self' };
  return { kind: target.frames.length < from.frames.length ? 'encloses' : 'inside' };
}

function problemWith(relation: Relation, target: string, allowSelf: boolean): string | undefined {
  switch (relation.kind) {
    case 'before':
      return undefined;
    case 'self':
      return allowSelf ? undefined : `step "${target}" itself, which has not finished when this is read`;
    case 'later':
      return `step "${target}", which runs after this step`;
    case 'inside':
      return `step "${target}", which runs inside this step`;
    case 'encloses':
      return `step "${target}", which contains this step and has not finished when it runs`;
    case 'other-branch': {
      const { container } = relation;
      return container.value.type === 'parallel'
        ? `step "${target}" in another branch of parallel "${container.name ?? '?'}", which may not have finished`
        : `step "${target}" in the other branch of condition "${container.name ?? '?'}", which never runs together with this one`;
    }
    default:
      return assertNever(relation, 'relation');
  }
}

interface TemplateField {
  path: string;
  value: unknown;
  /** Compensation params may read the step's own output. */
  allowSelf: boolean;
}

function templateFields(step: RawObject, path: string): TemplateField[] {
  const field = (key: string, allowSelf = false): TemplateField[] =>
    Object.hasOwn(step, key) ? [{ path: childPath(path, key), value: step[key], allowSelf }] : [];
  // An unknown type is the shape checks' business; every known one is listed, so a new type must say
  // which of its fields are templates.
  if (!(STEP_TYPES as readonly unknown[]).includes(step.type)) return [];
  const type = step.type as StepType;
  switch (type) {
    case 'service_call': {
      const compensate = step.compensate;
      const compensation =
        isRawObject(compensate) && Object.hasOwn(compensate, 'params')
          ? [{ path: childPath(childPath(path, 'compensate'), 'params'), value: compensate.params, allowSelf: true }]
          : [];
      return [...field('params'), ...compensation];
    }
    case 'transform':
      return field('output');
    case 'wait':
      return field('until');
    case 'sub_workflow':
      return field('input');
    case 'approval':
      return [
        ...field('prompt'),
        ...field('data'),
        ...(isRawObject(step.approvers) && Object.hasOwn(step.approvers, 'users')
          ? [{ path: childPath(childPath(path, 'approvers'), 'users'), value: step.approvers.users, allowSelf: false }]
          : []),
      ];
    case 'condition':
    case 'parallel':
      return [];
    default:
      return assertNever(type, 'step type');
  }
}

function expressionFields(step: RawObject, path: string): { path: string; source: string }[] {
  const fields: { path: string; source: unknown }[] = [{ path: childPath(path, 'when'), source: step.when }];
  if (step.type === 'transform' || step.type === 'condition') fields.push({ path: childPath(path, 'expression'), source: step.expression });
  if (step.type === 'wait' && isRawObject(step.event)) {
    fields.push({ path: childPath(childPath(path, 'event'), 'match'), source: step.event.match });
  }
  // Non-strings are the shape checks' business.
  return fields.filter((field): field is { path: string; source: string } => typeof field.source === 'string');
}

/** Names the expression reads, or undefined after reporting why it does not compile. */
function compiledReferences(source: string, path: string, issues: DefinitionIssue[]): string[] | undefined {
  try {
    return referencedSteps(compileExpression(source));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    issues.push({ path, message: error.message });
    return undefined;
  }
}

export function checkReferences(steps: readonly CollectedStep[], workflowOutput: unknown, issues: DefinitionIssue[]): void {
  const byName = new Map<string, CollectedStep>();
  for (const step of steps) if (step.name !== undefined && !byName.has(step.name)) byName.set(step.name, step);

  const check = (from: CollectedStep | undefined, target: string, path: string, what: string, allowSelf: boolean): void => {
    const found = byName.get(target);
    if (!found) {
      issues.push({ path, message: `${what} references step "${target}", which does not exist` });
      return;
    }
    // The workflow's output is resolved after every step.
    if (!from) return;
    const problem = problemWith(relation(from, found), target, allowSelf);
    if (problem !== undefined) issues.push({ path, message: `${what} references ${problem}` });
  };

  const checkTemplates = (from: CollectedStep | undefined, value: unknown, path: string, allowSelf: boolean): void => {
    const { templates, errors } = findTemplates(value, path);
    for (const error of errors) issues.push({ path: error.path, message: `malformed template ${error.source}: ${error.message}` });
    for (const template of templates) {
      if (template.reference.kind === 'step') check(from, template.reference.step, template.path, `template ${template.source}`, allowSelf);
    }
  };

  for (const step of steps) {
    for (const field of templateFields(step.value, step.path)) checkTemplates(step, field.value, field.path, field.allowSelf);
    for (const field of expressionFields(step.value, step.path)) {
      for (const target of compiledReferences(field.source, field.path, issues) ?? []) check(step, target, field.path, 'expression', false);
    }
  }
  if (workflowOutput !== undefined) checkTemplates(undefined, workflowOutput, '$.output', false);
}
