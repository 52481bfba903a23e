import { ERROR_CODES } from '../../errors.js';
import { isRawObject, type CollectedStep, type RawObject } from './collect.js';
import { childPath } from './json-path.js';
import { USER_ROLES } from '../../entities/statuses.js';
import {
  APPROVAL_REJECT_ACTIONS,
  APPROVAL_TIMEOUT_ACTIONS,
  CONDITION_ON_FALSE,
  MAX_APPROVERS_REQUIRED,
  JITTER_MODES,
  STEP_TYPES,
  WAIT_EVENTS_SINCE,
  WAIT_TIMEOUT_ACTIONS,
  type DefinitionIssue,
  type StepType,
} from './step-types.js';
import { didYouMean } from './suggest.js';

/** The structural rules of one step: which properties each type has, their types and ranges. */

export const STEP_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
export const MAX_RETRY_ATTEMPTS = 100;

/** A problem with a present value, or undefined. */
export type Check = (value: unknown) => string | undefined;

export interface Field {
  check: Check;
  required?: boolean;
  /** Checks what is inside the value once `check` passed (nested objects, arrays of steps). */
  nested?: (value: unknown, path: string, issues: DefinitionIssue[]) => void;
}

export type Fields = Record<string, Field>;

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

const string: Check = (value) => (typeof value === 'string' ? undefined : 'must be a string');
const nonEmptyString: Check = (value) => (typeof value === 'string' && value.trim() !== '' ? undefined : 'must be a non-empty string');
const boolean: Check = (value) => (typeof value === 'boolean' ? undefined : 'must be true or false');
const object: Check = (value) => (isRawObject(value) ? undefined : 'must be an object');
const anyJson: Check = () => undefined;
const positive: Check = (value) => (isFiniteNumber(value) && value > 0 ? undefined : 'must be a number greater than 0');
const nonNegative: Check = (value) => (isFiniteNumber(value) && value >= 0 ? undefined : 'must be a number ≥ 0');
const atLeastOne: Check = (value) => (isFiniteNumber(value) && value >= 1 ? undefined : 'must be a number ≥ 1');
const stepList: Check = (value) => (Array.isArray(value) ? undefined : 'must be an array of steps');
export const integerBetween =
  (min: number, max: number): Check =>
  (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? undefined
      : `must be an integer from ${min} to ${max}`;
const oneOf =
  (allowed: readonly string[]): Check =>
  (value) =>
    typeof value === 'string' && allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')}`;

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** A literal `until` must be an ISO-8601 date-time with a zone; a templated one is checked when it runs. */
const dateTimeOrTemplate: Check = (value) => {
  if (typeof value !== 'string') return 'must be a string';
  if (value.includes('${')) return undefined;
  return ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))
    ? undefined
    : 'must be an ISO-8601 date-time with a zone (e.g. 2026-01-31T09:00:00Z) or a ${…} template';
};

/** Checks an object's properties against `fields`: required ones, each value, unknown keys (with a suggestion). */
export function checkFields(value: RawObject, path: string, fields: Fields, what: string, issues: DefinitionIssue[]): void {
  for (const [key, field] of Object.entries(fields)) {
    const fieldPath = childPath(path, key);
    if (!Object.hasOwn(value, key)) {
      if (field.required) issues.push({ path: fieldPath, message: `missing required property "${key}" of ${what}` });
      continue;
    }
    const problem = field.check(value[key]);
    if (problem !== undefined) issues.push({ path: fieldPath, message: problem });
    else field.nested?.(value[key], fieldPath, issues);
  }
  const allowed = Object.keys(fields);
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(fields, key)) {
      issues.push({ path: childPath(path, key), message: `unknown property "${key}" of ${what}${didYouMean(key, allowed)}` });
    }
  }
}

const checkRetryOn = (value: unknown, path: string, issues: DefinitionIssue[]): void => {
  const codes: readonly string[] = ERROR_CODES;
  (value as unknown[]).forEach((code, index) => {
    if (typeof code !== 'string' || !codes.includes(code)) {
      issues.push({
        path: childPath(path, index),
        message: `unknown error code ${JSON.stringify(code)}: expected one of ${codes.join(', ')}`,
      });
    }
  });
};

const RETRY_FIELDS: Fields = {
  maxAttempts: { check: integerBetween(1, MAX_RETRY_ATTEMPTS), required: true },
  initialIntervalSeconds: { check: nonNegative },
  backoffRate: { check: atLeastOne },
  maxDelaySeconds: { check: nonNegative },
  jitter: { check: oneOf(JITTER_MODES) },
  retryOn: { check: (value) => (Array.isArray(value) ? undefined : 'must be an array of error codes'), nested: checkRetryOn },
};

const SERVICE_REFERENCE_FIELDS: Fields = {
  service: { check: nonEmptyString, required: true },
  method: { check: nonEmptyString, required: true },
  params: { check: object },
};

const EVENT_FIELDS: Fields = {
  name: { check: nonEmptyString, required: true },
  match: { check: string },
  since: { check: oneOf(WAIT_EVENTS_SINCE) },
  timeoutSeconds: { check: positive },
  onTimeout: { check: oneOf(WAIT_TIMEOUT_ACTIONS) },
};

/** An event wait's properties; `since: run` reaches back past the step, so only a `match` keeps another run's events out. */
const checkEvent = (value: unknown, path: string, issues: DefinitionIssue[]): void => {
  const event = value as RawObject;
  checkFields(event, path, EVENT_FIELDS, 'event', issues);
  if (event.since === 'run' && !Object.hasOwn(event, 'match')) {
    issues.push({
      path: childPath(path, 'since'),
      message: 'since "run" needs a "match" tying the event to this run (e.g. an id an earlier step made): any earlier event would do',
    });
  }
};

const checkBranches = (value: unknown, path: string, issues: DefinitionIssue[]): void => {
  const branches = value as unknown[];
  if (branches.length < 2) {
    issues.push({ path, message: `a parallel step needs at least 2 branches, got ${branches.length}` });
  }
  branches.forEach((branch, index) => {
    if (!Array.isArray(branch) || branch.length === 0) {
      issues.push({ path: childPath(path, index), message: 'a branch must be a non-empty array of steps' });
    }
  });
};

/** `area:verb`, as permissions are named (`execution:retry`); one no role grants matches nobody. */
const PERMISSION_NAME = /^[a-z]+:[a-z]+$/;
const permissionName: Check = (value) =>
  typeof value === 'string' && PERMISSION_NAME.test(value) ? undefined : 'must be a permission name such as "execution:retry"';
const nonEmptyStrings: Check = (value) =>
  Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string' && item.trim() !== '')
    ? undefined
    : 'must be a non-empty array of non-empty strings';
const roleList: Check = (value) =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every((item) => typeof item === 'string' && (USER_ROLES as readonly string[]).includes(item))
    ? undefined
    : `must be a non-empty array of roles (${USER_ROLES.join(', ')})`;

const APPROVER_FIELDS: Fields = { roles: { check: roleList }, permission: { check: permissionName }, users: { check: nonEmptyStrings } };
const APPROVAL_TIMEOUT_FIELDS: Fields = {
  seconds: { check: positive, required: true },
  onTimeout: { check: oneOf(APPROVAL_TIMEOUT_ACTIONS), required: true },
};

const checkApprovers = (value: unknown, path: string, issues: DefinitionIssue[]): void => {
  const approvers = value as RawObject;
  checkFields(approvers, path, APPROVER_FIELDS, 'approvers', issues);
  if (!['roles', 'permission', 'users'].some((key) => Object.hasOwn(approvers, key))) {
    issues.push({ path, message: 'approvers needs at least one of "roles", "permission", "users"' });
  }
};

/** N of M: with only named users (no templates, no role or permission), N cannot exceed how many are named. */
function checkRequiredApprovers(step: RawObject, path: string, issues: DefinitionIssue[]): void {
  const { required, approvers } = step;
  if (
    typeof required !== 'number' ||
    !isRawObject(approvers) ||
    Object.hasOwn(approvers, 'roles') ||
    Object.hasOwn(approvers, 'permission')
  )
    return;
  const users = approvers.users;
  if (!Array.isArray(users) || users.some((user) => typeof user !== 'string' || user.includes('${'))) return;
  const distinct = new Set(users.map((user) => String(user).toLowerCase())).size;
  if (required > distinct)
    issues.push({
      path: childPath(path, 'required'),
      message: `needs ${required} approvals but names only ${distinct} approver${distinct === 1 ? '' : 's'}`,
    });
}

const COMMON_FIELDS: Fields = {
  name: { check: anyJson, required: true },
  type: { check: anyJson, required: true },
  description: { check: string },
  when: { check: string },
  critical: { check: boolean },
  retry: { check: object, nested: (value, path, issues) => checkFields(value as RawObject, path, RETRY_FIELDS, 'retry', issues) },
  timeoutSeconds: { check: positive },
};

const FIELDS_BY_TYPE: Record<StepType, Fields> = {
  service_call: {
    ...SERVICE_REFERENCE_FIELDS,
    compensate: {
      check: object,
      nested: (value, path, issues) => checkFields(value as RawObject, path, SERVICE_REFERENCE_FIELDS, 'compensate', issues),
    },
  },
  transform: { expression: { check: string }, output: { check: anyJson } },
  condition: {
    expression: { check: string, required: true },
    then: { check: stepList },
    else: { check: stepList },
    onFalse: { check: oneOf(CONDITION_ON_FALSE) },
  },
  wait: {
    seconds: { check: positive },
    until: { check: dateTimeOrTemplate },
    event: { check: object, nested: checkEvent },
  },
  parallel: {
    branches: {
      check: (value) => (Array.isArray(value) ? undefined : 'must be an array of branches (arrays of steps)'),
      required: true,
      nested: checkBranches,
    },
  },
  sub_workflow: {
    workflow: { check: nonEmptyString, required: true },
    version: { check: integerBetween(1, Number.MAX_SAFE_INTEGER) },
    input: { check: object },
  },
  approval: {
    prompt: { check: nonEmptyString, required: true },
    data: { check: anyJson },
    approvers: { check: object, required: true, nested: checkApprovers },
    required: { check: integerBetween(1, MAX_APPROVERS_REQUIRED) },
    timeout: {
      check: object,
      nested: (value, path, issues) => checkFields(value as RawObject, path, APPROVAL_TIMEOUT_FIELDS, 'timeout', issues),
    },
    onReject: { check: oneOf(APPROVAL_REJECT_ACTIONS) },
  },
};

function isStepType(value: unknown): value is StepType {
  return typeof value === 'string' && (STEP_TYPES as readonly string[]).includes(value);
}

/** Properties of which exactly one must be present. */
function exactlyOne(step: RawObject, path: string, keys: readonly string[], what: string, issues: DefinitionIssue[]): void {
  const present = keys.filter((key) => Object.hasOwn(step, key));
  if (present.length === 1) return;
  const list = keys.map((key) => `"${key}"`).join(', ');
  issues.push({
    path,
    message:
      present.length === 0 ? `${what} needs exactly one of ${list}` : `${what} takes exactly one of ${list}, got ${present.join(' and ')}`,
  });
}

/** The structure of one step: name, type, the properties of its type and their values. */
export function checkStepShape(step: CollectedStep, issues: DefinitionIssue[]): void {
  const { value, path } = step;
  if (Object.hasOwn(value, 'name')) {
    if (typeof value.name !== 'string') issues.push({ path: childPath(path, 'name'), message: 'must be a string' });
    else if (!STEP_NAME_PATTERN.test(value.name)) {
      issues.push({
        path: childPath(path, 'name'),
        message: `invalid step name ${JSON.stringify(value.name)}: use letters, digits and "_", starting with a letter`,
      });
    }
  }
  if (Object.hasOwn(value, 'type') && !isStepType(value.type)) {
    issues.push({
      path: childPath(path, 'type'),
      message: `unknown step type ${JSON.stringify(value.type)}: expected one of ${STEP_TYPES.join(', ')}`,
    });
  }
  if (!isStepType(value.type)) {
    // Without a known type the other properties cannot be judged; report only what every step needs.
    for (const key of ['name', 'type']) {
      if (!Object.hasOwn(value, key)) issues.push({ path: childPath(path, key), message: `missing required property "${key}" of a step` });
    }
    return;
  }
  checkFields(value, path, { ...COMMON_FIELDS, ...FIELDS_BY_TYPE[value.type] }, `a ${value.type} step`, issues);
  if (value.type === 'transform') exactlyOne(value, path, ['expression', 'output'], 'a transform step', issues);
  if (value.type === 'wait') exactlyOne(value, path, ['seconds', 'until', 'event'], 'a wait step', issues);
  if (value.type === 'approval') checkRequiredApprovers(value, path, issues);
}
