import type { JsonObject } from '../../entities/json.js';
import { AppError } from '../../errors.js';
import { isRawObject, type RawObject } from './collect.js';
import { cronProblem, DEFAULT_TIMEZONE, timezoneProblem } from './cron.js';
import { compileExpression } from './expressions.js';
import { validateWorkflowInput } from './input-schema.js';
import { childPath } from './json-path.js';
import { checkFields, integerBetween, STEP_NAME_PATTERN, type Check, type Fields } from './shape.js';
import { MAX_PRIORITY, MIN_PRIORITY, SCHEDULE_CATCH_UP, SCHEDULE_OVERLAP, type DefinitionIssue } from './step-types.js';

/**
 * Validation of a definition's `triggers` (domain events that start it) and `schedules` (cron), each
 * issue at its JSON path. Runtime: src/engine/triggers.
 */

/** `<entity>.<what happened>`, lower case: `quote.accepted`, `ticket.installation_approved`. */
export const EVENT_NAME_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
export const MAX_EVENT_NAME_LENGTH = 100;

export function eventNameProblem(name: string): string | undefined {
  if (name.length > MAX_EVENT_NAME_LENGTH) return `an event name has at most ${MAX_EVENT_NAME_LENGTH} characters`;
  return EVENT_NAME_PATTERN.test(name)
    ? undefined
    : `invalid event name ${JSON.stringify(name)}: lower-case words joined by dots, such as "quote.accepted" or "ticket.installation_approved"`;
}

const string: Check = (value) => (typeof value === 'string' ? undefined : 'must be a string');
const object: Check = (value) => (isRawObject(value) ? undefined : 'must be an object');
const oneOf =
  (allowed: readonly string[]): Check =>
  (value) =>
    typeof value === 'string' && allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')}`;
const eventName: Check = (value) => (typeof value === 'string' ? eventNameProblem(value) : 'must be a string');
const scheduleName: Check = (value) =>
  typeof value !== 'string'
    ? 'must be a string'
    : STEP_NAME_PATTERN.test(value)
      ? undefined
      : `invalid schedule name ${JSON.stringify(value)}: use letters, digits and "_", starting with a letter`;

/** A JSONata field's compile errors, at its path. */
export function checkJsonata(value: unknown, path: string, issues: DefinitionIssue[]): void {
  try {
    compileExpression(value as string);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    issues.push({ path, message: error.message });
  }
}

const TRIGGER_FIELDS: Fields = {
  event: { check: eventName, required: true },
  filter: { check: string, nested: checkJsonata },
  context: { check: string, nested: checkJsonata },
  priority: { check: integerBetween(MIN_PRIORITY, MAX_PRIORITY) },
};

const SCHEDULE_FIELDS: Fields = {
  name: { check: scheduleName, required: true },
  cron: { check: string, required: true },
  timezone: { check: (value) => (typeof value === 'string' ? timezoneProblem(value) : 'must be a string') },
  input: { check: object },
  catchUp: { check: oneOf(SCHEDULE_CATCH_UP) },
  overlap: { check: oneOf(SCHEDULE_OVERLAP) },
  priority: { check: integerBetween(MIN_PRIORITY, MAX_PRIORITY) },
};

function eachObject(
  value: unknown,
  path: string,
  what: string,
  issues: DefinitionIssue[],
  check: (item: RawObject, itemPath: string) => void,
): void {
  if (!Array.isArray(value)) {
    issues.push({ path, message: `must be an array of ${what}` });
    return;
  }
  value.forEach((item, index) => {
    const itemPath = childPath(path, index);
    if (isRawObject(item)) check(item, itemPath);
    else issues.push({ path: itemPath, message: `must be an object (one of the ${what})` });
  });
}

/** `$.triggers`: `[{ event, filter?, context? }]`. */
export function checkTriggers(value: unknown, issues: DefinitionIssue[]): void {
  eachObject(value, '$.triggers', 'triggers', issues, (trigger, path) => checkFields(trigger, path, TRIGGER_FIELDS, 'a trigger', issues));
}

/** An invalid input schema is reported at `$.input` on its own; here it just checks nothing. */
function inputProblems(schema: JsonObject, input: JsonObject): string[] {
  try {
    return validateWorkflowInput(schema, input);
  } catch (error) {
    if (error instanceof AppError) return [];
    throw error;
  }
}

/**
 * `$.schedules`: `[{ name, cron, timezone?, input?, catchUp?, overlap?, priority? }]`, names unique. A schedule's
 * input must satisfy the workflow's input schema (when it has a valid one): it is fixed, so a mismatch
 * would fail at every tick.
 */
export function checkSchedules(value: unknown, inputSchema: JsonObject | undefined, issues: DefinitionIssue[]): void {
  const first = new Map<string, string>();
  eachObject(value, '$.schedules', 'schedules', issues, (schedule, path) => {
    const before = issues.length;
    checkFields(schedule, path, SCHEDULE_FIELDS, 'a schedule', issues);
    const { name, cron, timezone, input } = schedule;
    if (typeof name === 'string') {
      const earlier = first.get(name);
      if (earlier === undefined) first.set(name, path);
      else issues.push({ path: childPath(path, 'name'), message: `duplicate schedule name "${name}" (first used at ${earlier})` });
    }
    const validZone = timezone === undefined || (typeof timezone === 'string' && timezoneProblem(timezone) === undefined);
    if (typeof cron === 'string' && validZone) {
      const problem = cronProblem(cron, typeof timezone === 'string' ? timezone : DEFAULT_TIMEZONE);
      if (problem !== undefined) issues.push({ path: childPath(path, 'cron'), message: problem });
    }
    if (inputSchema && issues.length === before) {
      const problems = inputProblems(inputSchema, (isRawObject(input) ? input : {}) as JsonObject);
      if (problems.length > 0) {
        issues.push({ path: childPath(path, 'input'), message: `does not match the workflow's input schema: ${problems.join('; ')}` });
      }
    }
  });
}
