import type { IncomingHttpHeaders } from 'node:http';
import { AppError } from '../errors.js';
import type { Authenticator } from './auth-service.js';
import { tooManyTokens, type QueryLimitError } from './query-limits.js';
import type { RateLimitDecision, RateLimiter } from './rate-limit.js';
import { viewerBucket, type Viewer } from './viewer.js';

/** The credential of a request: `Authorization: Bearer <JWT or sy_… key>` or `x-api-key: sy_…`. */
export function credentialOf(headers: IncomingHttpHeaders | Record<string, unknown>): string | undefined {
  const authorization = headerValue(headers, 'authorization')?.trim();
  // An empty header is no credential (GraphiQL's header editor starts with one).
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw new AppError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <token>"');
    return match[1];
  }
  return headerValue(headers, 'x-api-key')?.trim() || undefined;
}

/** HTTP headers are lower-case; connection_init payloads (graphql-ws) are whatever the client wrote. */
function headerValue(headers: IncomingHttpHeaders | Record<string, unknown>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

/** Documents known to be within the token limit: the few an application sends are lexed once. */
const TOKEN_CHECKED_CAPACITY = 1_000;
const TOKEN_CHECKED_MAX_LENGTH = 10_000;

/** The checks an HTTP GraphQL request passes before GraphQL sees it; the transport answers their errors. */
export interface HttpGuard {
  /** The viewer of the request's credential, undefined without one; UNAUTHENTICATED (an AppError) for a bad one. */
  authenticate(headers: IncomingHttpHeaders): Promise<Viewer | undefined>;
  /** Takes from the viewer's bucket, or the anonymous caller's address's. */
  rateLimit(viewer: Viewer | undefined, address: string): RateLimitDecision;
  /** A document over the token limit, counted before it is parsed. */
  tokenLimit(query: unknown): QueryLimitError | undefined;
}

export function createHttpGuard(deps: { authenticator: Authenticator; rateLimiter: RateLimiter }): HttpGuard {
  const withinTokenLimit = new Set<string>();
  return {
    async authenticate(headers) {
      const credential = credentialOf(headers);
      return credential === undefined ? undefined : deps.authenticator.authenticate(credential);
    },
    rateLimit(viewer, address) {
      return deps.rateLimiter.take(viewer ? viewerBucket(viewer) : `address:${address}`);
    },
    tokenLimit(query) {
      if (typeof query !== 'string' || withinTokenLimit.has(query)) return undefined;
      const error = tooManyTokens(query);
      if (!error && query.length <= TOKEN_CHECKED_MAX_LENGTH) {
        if (withinTokenLimit.size >= TOKEN_CHECKED_CAPACITY) withinTokenLimit.clear();
        withinTokenLimit.add(query);
      }
      return error;
    },
  };
}
