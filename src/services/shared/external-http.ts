import type { z } from 'zod';
import { AppError, coerceError } from '../../errors.js';

export type FetchFn = typeof fetch;

export interface ExternalRequest {
  /** Named in errors: `GenieACS`, `NetBox`. */
  system: string;
  fetch: FetchFn;
  url: string;
  method?: string | undefined;
  headers?: Record<string, string> | undefined;
  body?: string | undefined;
  timeoutMs: number;
  /** The caller's signal (step timeout, lost lease). */
  signal?: AbortSignal | undefined;
}

export interface ExternalResponse {
  status: number;
  statusText: string;
  text: string;
}

/**
 * One HTTP exchange with a system outside. Whatever keeps it from answering — refused, reset, timed out,
 * or a 5xx — is EXTERNAL_UNAVAILABLE (retryable); any other status is the caller's to interpret.
 */
export async function callExternal(request: ExternalRequest): Promise<ExternalResponse> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  let response: Response;
  let text: string;
  try {
    response = await request.fetch(request.url, {
      method: request.method ?? 'GET',
      headers: request.headers ?? {},
      body: request.body ?? null,
      signal,
    });
    text = await response.text();
  } catch (error) {
    const reason = timeout.aborted ? `no answer within ${request.timeoutMs} ms` : describeFetchError(error);
    throw new AppError(
      'EXTERNAL_UNAVAILABLE',
      `${request.system} is unavailable: ${request.method ?? 'GET'} ${redactedPath(request.url)}: ${reason}`,
      { cause: error },
    );
  }
  if (response.status >= 500) {
    throw new AppError(
      'EXTERNAL_UNAVAILABLE',
      `${request.system} answered ${response.status} ${response.statusText} to ${request.method ?? 'GET'} ${redactedPath(request.url)}`,
      {
        details: { status: response.status, body: text.slice(0, 500) },
      },
    );
  }
  return { status: response.status, statusText: response.statusText, text };
}

export interface JsonApiOptions {
  system: string;
  /** Its base URL: request paths are appended to it (trailing slashes dropped). */
  url: string;
  /** Sent with every request besides Accept and Content-Type JSON: the API's credentials. */
  headers: Record<string, string>;
  fetch?: FetchFn | undefined;
  /** 10 s when not given. */
  timeoutMs?: number | undefined;
}

/** One JSON HTTP API's caller: `call(method, path, signal, body?)` sends `body` as JSON under its base URL, with its credentials. */
export function jsonApi(api: JsonApiOptions) {
  const base = api.url.replace(/\/+$/, '');
  const fetchFn = api.fetch ?? fetch;
  const headers = { ...api.headers, Accept: 'application/json', 'Content-Type': 'application/json' };
  return (method: string, path: string, signal: AbortSignal | undefined, body?: unknown): Promise<ExternalResponse> =>
    callExternal({
      system: api.system,
      fetch: fetchFn,
      url: `${base}${path}`,
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: api.timeoutMs ?? 10_000,
      signal,
    });
}

/** Parses a JSON answer, or says which system sent something else. */
export function parseJson(system: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError('EXTERNAL_UNAVAILABLE', `${system} sent a body that is not JSON: ${text.slice(0, 120)}`, {
      cause: error,
      retryable: false,
    });
  }
}

function describeFetchError(error: unknown): string {
  const failure = coerceError(error);
  const cause = failure.cause === undefined ? undefined : coerceError(failure.cause);
  return cause ? `${failure.message} (${cause.message})` : failure.message;
}

/** Queries can carry serials and names; errors keep the path only. */
function redactedPath(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** Checks an answer against the shape we rely on; a system that answers otherwise is not one we can use. */
export function expectShape<T>(system: string, schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
  throw new AppError('EXTERNAL_UNAVAILABLE', `${system} sent an unexpected ${what}: ${problems}`, { retryable: false });
}
