import type { ErrorCode } from './entities/error-codes.js';

export { ERROR_CODES, type ErrorCode } from './entities/error-codes.js';

/**
 * One thing wrong with what was sent: `path` is a JSON path into the value the error is about (a
 * workflow definition, a run's context, a service's params, a mutation's input), `$` for the whole.
 */
export interface Issue {
  path: string;
  message: string;
}

/**
 * `details` of every error: facts about the refusal (`status`, `retryAfterSeconds`…) and, when what was
 * sent is at fault, `issues` listing every problem with its JSON path. Nothing else holds a list of
 * problems.
 */
export interface ErrorDetails {
  issues?: Issue[];
  [fact: string]: unknown;
}

export interface AppErrorOptions {
  retryable?: boolean;
  details?: ErrorDetails | undefined;
  cause?: unknown;
}

export class AppError extends Error {
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.retryable = options.retryable ?? code === 'EXTERNAL_UNAVAILABLE';
    this.details = options.details && normalizeDetails(options.details);
  }
}

/** An AppError that says retrying cannot help: what was asked is refused, not failed. */
export function isPermanentError(error: unknown): boolean {
  return error instanceof AppError && !error.retryable;
}

/** `a.b.0.c` (zod's path), `$.a.b[0].c` (ours), or `(input)`, as a JSON path. */
function jsonPath(path: string): string {
  if (path.startsWith('$')) return path;
  if (path === '' || /^\(.*\)$/.test(path)) return '$';
  return `$${path
    .split('.')
    .map((segment) =>
      /^(0|[1-9][0-9]*)$/.test(segment)
        ? `[${segment}]`
        : /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)
          ? `.${segment}`
          : `[${JSON.stringify(segment)}]`,
    )
    .join('')}`;
}

/** A `<path>: <message>` line (the form validators and zod messages were written in) as an Issue. */
export function issueFromText(text: string): Issue {
  const colon = text.indexOf(': ');
  return colon === -1 ? { path: '$', message: text } : { path: jsonPath(text.slice(0, colon)), message: text.slice(colon + 2) };
}

/**
 * The one shape of `details`: a list of problems given as `problems` (`"<path>: <message>"` lines, as
 * some validators still write them) becomes `issues`.
 */
function normalizeDetails(details: ErrorDetails): ErrorDetails {
  const { problems, ...rest } = details;
  if (!Array.isArray(problems)) return details;
  const converted = problems.map((problem) => issueFromText(String(problem)));
  return { ...rest, issues: [...(rest.issues ?? []), ...converted] };
}

/** Start-up failures whose message is meant to be printed as is, on one line. */
export class StartupError extends Error {
  constructor(
    readonly setting: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/** The one place a caught `unknown` becomes an Error. */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(`Non-error thrown: ${JSON.stringify(thrown)}`);
  } catch {
    return new Error(`Non-error thrown: ${String(thrown)}`);
  }
}

/** The errno-style code of a system error (ECONNREFUSED, EADDRINUSE…), if any. */
export function systemErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

/** Exhaustiveness check for `switch` over unions: a new member fails to compile where it is not handled. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
