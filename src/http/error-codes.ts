import type { ErrorCode, ErrorDetails } from '../errors.js';
import type { QueryLimitCode } from '../auth/query-limits.js';

/**
 * Every `extensions.code` the API answers with, over HTTP and websockets, and what it means. The
 * README's table of error codes is this list (a test holds them together).
 *
 * Every error's `extensions` has one shape: `{ code, retryable, details? }`. `retryable` says whether
 * the same request may succeed later unchanged; `details`, when present, is an object of facts about
 * the refusal, and a list of problems with what was sent is always `details.issues`:
 * `[{ path, message }]`, each `path` a JSON path (`$.steps[1].params.x`, `$.lead_id`).
 */
export const API_ERROR_CODES = {
  BAD_USER_INPUT:
    'An argument or variable is wrong: a value GraphQL cannot coerce, an unknown input field, a malformed id, a missing choice.',
  VALIDATION: 'What was sent breaks a rule: a workflow definition (`details.issues`), a context against its input schema, a domain input.',
  NOT_FOUND: "No such record in the caller's tenant (another tenant's records answer this too).",
  CONFLICT: 'It exists already: a workflow name, a customer e-mail, a plan or partner code.',
  INVALID_STATE: 'The record is in a state that refuses this (`details.status`): a finished run cancelled, a draft quote accepted.',
  UNAUTHENTICATED: 'No valid credential (HTTP status 401).',
  FORBIDDEN: "The credential lacks the permission, or a `tenantId` names another tenant than the caller's.",
  TENANT_SUSPENDED:
    "The credential's tenant is suspended by a platform admin: its users and API keys are refused (HTTP status 403; a websocket closes with 4403).",
  QUOTA_EXCEEDED: "A partner's license pool has too few seats.",
  PAYMENT_DECLINED: 'The payment provider declined.',
  POOL_EXHAUSTED: 'No address, VLAN or technician left to allocate.',
  EXTERNAL_UNAVAILABLE: 'A system outside (GenieACS, NetBox, SMTP, a webhook) did not answer.',
  TIMEOUT: 'An expression or call took too long.',
  RATE_LIMITED: 'Over the request rate (HTTP status 429, `Retry-After`; `details.retryAfterSeconds`).',
  INTERNAL_SERVER_ERROR: 'Our fault: logged with the request id (`details.requestId`); no message, stack or SQL is shown.',
  BAD_REQUEST:
    'The HTTP request is not a GraphQL request: a body that is not JSON, no query, or a request CSRF prevention refuses (HTTP status 400).',
  UNSUPPORTED_MEDIA_TYPE: 'A compressed request body (HTTP status 415).',
  PAYLOAD_TOO_LARGE: 'A request body over 1 MB (HTTP status 413).',
  GRAPHQL_PARSE_FAILED: 'The document is not valid GraphQL syntax.',
  GRAPHQL_VALIDATION_FAILED: 'The document does not fit the schema (an unknown field, a missing argument; introspection in production).',
  OPERATION_RESOLUTION_FAILURE: '`operationName` names no operation of the document, or several operations and no name.',
  PERSISTED_QUERY_NOT_FOUND: 'An automatic persisted query hash this server has not seen yet: send the query with it.',
  PERSISTED_QUERY_NOT_SUPPORTED: 'Persisted queries are not available on this request.',
  MAX_DEPTH_EXCEEDED: 'The document is nested deeper than 10.',
  MAX_ALIASES_EXCEEDED: 'The document has more than 15 aliases.',
  MAX_DIRECTIVES_EXCEEDED: 'The document has more than 50 directives.',
  MAX_TOKENS_EXCEEDED: 'The document has more than 2000 tokens.',
  COST_LIMIT_EXCEEDED: 'The document costs more than 5000.',
} as const satisfies Record<ErrorCode | QueryLimitCode, string> & Record<string, string>;

export type ApiErrorCode = keyof typeof API_ERROR_CODES;

/** Codes whose request may succeed later as it is, unless the error itself says otherwise. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set<ApiErrorCode>(['RATE_LIMITED', 'EXTERNAL_UNAVAILABLE']);

export function isApiErrorCode(code: string): code is ApiErrorCode {
  return Object.hasOwn(API_ERROR_CODES, code);
}

export interface ErrorExtensions {
  [key: string]: unknown;
  code: string;
  retryable: boolean;
  details?: ErrorDetails;
}

/** The `extensions` of an error: the one shape every error has. */
export function errorExtensions(code: string, retryable: boolean = RETRYABLE_CODES.has(code), details?: ErrorDetails): ErrorExtensions {
  return { code, retryable, ...(details && Object.keys(details).length > 0 ? { details } : {}) };
}
