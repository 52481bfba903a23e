import jsonata from 'jsonata';
import type { JsonObject, JsonValue } from '../../entities/json.js';
import { AppError, coerceError } from '../../errors.js';
import { nestedRepetition } from './regex-safety.js';
import { mergedContext, type TemplateScope } from './templates.js';

/**
 * JSONata for `when`, `condition`/`transform` expressions and wait-event `match`. JSONata is a sandboxed
 * language (no I/O, no host access); what is left to bound is time and memory, so every evaluation runs
 * with JSONata's guardrails: a wall-clock timeout and a depth limit checked on every evaluation step, and
 * a cap on sequence length (so `[1..9999999]` fails at once instead of allocating). Regular expressions
 * with nested repetition are refused (see regex-safety.ts), including ones built through `$eval`.
 *
 * Known limit: a single built-in call can still allocate a lot before the next check (e.g. `$pad` with a
 * huge width); isolating that needs a worker thread with resource limits.
 */

export const DEFAULT_EXPRESSION_TIMEOUT_MS = 1_000;
/** Nesting of JSONata evaluation steps: roughly 150 levels of non-tail recursion. */
export const EXPRESSION_MAX_DEPTH = 1_000;
export const EXPRESSION_MAX_SEQUENCE = 100_000;

export interface CompiledExpression {
  readonly source: string;
}

interface CompiledState {
  ast: unknown;
  /** One JSONata instance per timeout: JSONata takes its limits when an expression is created. */
  evaluators: Map<number, jsonata.Expression>;
}

const compiledState = new WeakMap<CompiledExpression, CompiledState>();

interface JsonataError {
  code: string;
  message: string;
  position?: number;
  token?: string;
}

/** JSONata throws plain objects carrying a code such as `S0202` or `D1012`. */
function isJsonataError(thrown: unknown): thrown is JsonataError {
  return (
    typeof thrown === 'object' &&
    thrown !== null &&
    'code' in thrown &&
    typeof thrown.code === 'string' &&
    'message' in thrown &&
    typeof thrown.message === 'string'
  );
}

function unsafeRegexError(source: string, offending: string): AppError {
  return new AppError(
    'VALIDATION',
    `regular expression /${source}/ repeats a group that itself repeats (${offending}), which can take exponential time; ` +
      'rewrite it without the nested repetition',
    { details: { regex: source } },
  );
}

/** JSONata builds every regex through this class: the place to refuse unsafe ones, `$eval` included. */
class GuardedRegExp extends RegExp {
  constructor(pattern: RegExp) {
    const offending = nestedRepetition(pattern.source);
    if (offending !== undefined) throw unsafeRegexError(pattern.source, offending);
    super(pattern);
  }
}

type AstNode = { type: string } & Record<string, unknown>;

function isAstNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string';
}

/** Visits every AST node; `atRoot` tells whether the node is evaluated against the input document itself. */
function walkAst(node: unknown, atRoot: boolean, visit: (node: AstNode, atRoot: boolean) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walkAst(item, atRoot, visit);
    return;
  }
  if (!isAstNode(node)) return;
  visit(node, atRoot);
  for (const [key, child] of Object.entries(node)) {
    // Filters, sort terms and group-by run against each item, not against the document.
    const itemScoped = key === 'predicate' || key === 'stages' || key === 'group' || (node.type === 'sort' && key === 'terms');
    if (node.type === 'path' && key === 'steps' && Array.isArray(child)) {
      // A path's first step reads the current input; the following ones read what the previous produced.
      child.forEach((step, index) => walkAst(step, atRoot && index === 0, visit));
    } else {
      walkAst(child, atRoot && !itemScoped, visit);
    }
  }
}

function nameAt(steps: unknown[], index: number): string | undefined {
  const step = steps[index];
  return isAstNode(step) && step.type === 'name' && typeof step.value === 'string' ? step.value : undefined;
}

/** `steps.<name>…`, `$.steps.<name>…` (at the root) or `$$.steps.<name>…` (anywhere). */
function stepNameOfPath(node: AstNode, atRoot: boolean): string | undefined {
  if (node.type !== 'path' || !Array.isArray(node.steps)) return undefined;
  const steps: unknown[] = node.steps;
  const first = steps[0];
  let offset = 0;
  if (isAstNode(first) && first.type === 'variable') {
    if (first.value === '$') offset = 1;
    else if (first.value === '' && atRoot) offset = 1;
    else return undefined;
  } else if (!atRoot) {
    return undefined;
  }
  return nameAt(steps, offset) === 'steps' ? nameAt(steps, offset + 1) : undefined;
}

/**
 * compileExpression remembered: the same source compiles once while at most `limit` sources are kept
 * (past that the cache starts again). Each caller keeps its own, sized for how many sources it sees.
 */
export function expressionCache(limit: number): (source: string) => CompiledExpression {
  const cache = new Map<string, CompiledExpression>();
  return (source) => {
    let expression = cache.get(source);
    if (!expression) {
      expression = compileExpression(source);
      if (cache.size > limit) cache.clear();
      cache.set(source, expression);
    }
    return expression;
  };
}

/** Parses and checks an expression; throws AppError('VALIDATION') with JSONata's position and message. */
export function compileExpression(source: string): CompiledExpression {
  let ast: unknown;
  try {
    ast = jsonata(source).ast();
  } catch (thrown) {
    if (!isJsonataError(thrown)) throw coerceError(thrown);
    const at = thrown.position === undefined ? '' : ` at position ${thrown.position}`;
    throw new AppError('VALIDATION', `invalid JSONata${at}: ${thrown.message}`, {
      details: { code: thrown.code, position: thrown.position, token: thrown.token },
    });
  }
  walkAst(ast, true, (node) => {
    if (node.type !== 'regex' || !(node.value instanceof RegExp)) return;
    const offending = nestedRepetition(node.value.source);
    if (offending !== undefined) throw unsafeRegexError(node.value.source, offending);
  });
  const compiled: CompiledExpression = Object.freeze({ source });
  compiledState.set(compiled, { ast, evaluators: new Map() });
  return compiled;
}

function stateOf(compiled: CompiledExpression): CompiledState {
  const state = compiledState.get(compiled);
  if (!state) throw new AppError('INTERNAL_SERVER_ERROR', 'expression was not made by compileExpression');
  return state;
}

/**
 * Step names the expression reads as `steps.<name>` from the document root (also `$$.steps.<name>`).
 * Dynamic access (`$lookup(steps, $name)`) cannot be seen statically.
 */
export function referencedSteps(compiled: CompiledExpression): string[] {
  const names = new Set<string>();
  walkAst(stateOf(compiled).ast, true, (node, atRoot) => {
    const name = stepNameOfPath(node, atRoot);
    if (name !== undefined) names.add(name);
  });
  return [...names];
}

/**
 * The document expressions read: the merged context at the top level, with `context`, `steps` (each
 * `{ status, output }`), `tenant` (the run's `{ id, slug, name }`) and, for wait matches, `event` over it
 * (so a context key called `steps` is `context.steps`).
 */
export function expressionInput(scope: TemplateScope, extra: { event?: JsonValue } = {}, order?: readonly string[]): JsonObject {
  const entries = new Map<string, JsonValue>(Object.entries(mergedContext(scope, order)));
  entries.set('context', scope.context);
  const steps = new Map<string, JsonValue>();
  for (const [name, step] of Object.entries(scope.steps)) {
    steps.set(name, step.output === undefined ? { status: step.status } : { status: step.status, output: step.output });
  }
  entries.set('steps', Object.fromEntries(steps));
  if (scope.tenant) entries.set('tenant', { ...scope.tenant });
  if (extra.event !== undefined) entries.set('event', extra.event);
  return Object.fromEntries(entries);
}

function isJsonataFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  return (
    ('_jsonata_function' in value && value._jsonata_function === true) || ('_jsonata_lambda' in value && value._jsonata_lambda === true)
  );
}

/** JSONata results as plain JSON, with JSON.stringify's rules: functions vanish (null inside arrays). */
function toJson(value: unknown): JsonValue | undefined {
  if (value === undefined || isJsonataFunction(value)) return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map((item) => toJson(item) ?? null);
  if (typeof value === 'object') {
    const entries: [string, JsonValue][] = [];
    for (const [key, item] of Object.entries(value)) {
      const json = toJson(item);
      if (json !== undefined) entries.push([key, json]);
    }
    return Object.fromEntries(entries);
  }
  throw new AppError('INTERNAL_SERVER_ERROR', `expression produced a ${typeof value}, which is not JSON`);
}

function evaluatorFor(compiled: CompiledExpression, timeoutMs: number): jsonata.Expression {
  const state = stateOf(compiled);
  let evaluator = state.evaluators.get(timeoutMs);
  if (!evaluator) {
    evaluator = jsonata(compiled.source, {
      timeout: timeoutMs,
      stack: EXPRESSION_MAX_DEPTH,
      sequence: EXPRESSION_MAX_SEQUENCE,
      // JSONata only ever calls `new RegexEngine(regex)`; the subclass keeps RegExp's behaviour.
      RegexEngine: GuardedRegExp as unknown as RegExpConstructor,
    });
    state.evaluators.set(timeoutMs, evaluator);
  }
  return evaluator;
}

/**
 * Evaluates against `input` (see expressionInput). Undefined when the expression selects nothing.
 * Throws AppError 'TIMEOUT' past `timeoutMs`, 'VALIDATION' for any other evaluation failure (type
 * errors, the depth or sequence limits), with JSONata's code in `details`.
 */
export async function evaluateExpression(
  compiled: CompiledExpression,
  input: JsonObject,
  options: { timeoutMs?: number } = {},
): Promise<JsonValue | undefined> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXPRESSION_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new AppError('INTERNAL_SERVER_ERROR', `expression timeout must be positive, got ${timeoutMs}`);
  let result: unknown;
  try {
    result = await evaluatorFor(compiled, timeoutMs).evaluate(input);
  } catch (thrown) {
    if (thrown instanceof AppError) throw thrown;
    if (isJsonataError(thrown)) {
      const at = thrown.position === undefined ? '' : ` at position ${thrown.position}`;
      const code = thrown.code === 'D1012' ? 'TIMEOUT' : 'VALIDATION';
      throw new AppError(code, `expression ${JSON.stringify(compiled.source)} failed${at}: ${thrown.message} (JSONata ${thrown.code})`, {
        details: { code: thrown.code, position: thrown.position, token: thrown.token },
      });
    }
    // Exhausted engine limits (call stack, string length) are the expression's doing.
    if (thrown instanceof RangeError) {
      throw new AppError('VALIDATION', `expression ${JSON.stringify(compiled.source)} failed: ${thrown.message}`, { cause: thrown });
    }
    throw coerceError(thrown);
  }
  return toJson(result);
}

/**
 * Truthiness of a condition's result, as JSONata's `$boolean` (so `"x"` and `"$boolean(x)"` agree):
 * false for undefined, null, false, 0, '', an empty object, a function, and an array none of whose
 * members is truthy (so `[]`, `[0]` and `[false, '']` are false); true otherwise.
 */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.some(isTruthy);
  if (isJsonataFunction(value)) return false;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      return value !== 0;
    case 'string':
      return value.length > 0;
    case 'object':
      return Object.keys(value).length > 0;
    default:
      return false;
  }
}
