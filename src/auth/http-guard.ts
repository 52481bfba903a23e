import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { AppError, coerceError } from '../errors.js';
import type { Authenticator } from './auth-service.js';
import { tooManyTokens } from './query-limits.js';
import type { RateLimiter } from './rate-limit.js';
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

function sendError(res: Response, status: number, code: string, message: string, extensions: Record<string, unknown> = {}): void {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extensions } }] });
}

export interface HttpGuard {
  /** Resolves the request's credential; a bad one is answered 401 before GraphQL sees the request. */
  authenticate: RequestHandler;
  /** 429 once the viewer's bucket (or the anonymous caller's address) is empty. */
  rateLimit: RequestHandler;
  /** 400 for documents over the token limit, before they are parsed. Needs the parsed body. */
  tokenLimit: RequestHandler;
  viewerOf(request: IncomingMessage): Viewer | undefined;
}

export function createHttpGuard(deps: { authenticator: Authenticator; rateLimiter: RateLimiter }): HttpGuard {
  const viewers = new WeakMap<IncomingMessage, Viewer>();
  return {
    authenticate: (req, res, next) => {
      let credential: string | undefined;
      try {
        credential = credentialOf(req.headers);
      } catch (error) {
        unauthenticated(res, coerceError(error));
        return;
      }
      if (credential === undefined) {
        next();
        return;
      }
      deps.authenticator.authenticate(credential).then(
        (viewer) => {
          viewers.set(req, viewer);
          next();
        },
        (error: unknown) => {
          if (error instanceof AppError && error.code === 'UNAUTHENTICATED') unauthenticated(res, error);
          else next(error);
        },
      );
    },
    rateLimit: (req, res, next) => {
      const viewer = viewers.get(req);
      const decision = deps.rateLimiter.take(viewer ? viewerBucket(viewer) : `address:${clientAddress(req)}`);
      if (decision.allowed) {
        next();
        return;
      }
      res.setHeader('Retry-After', String(decision.retryAfterSeconds));
      sendError(res, 429, 'RATE_LIMITED', `rate limit exceeded; retry in ${decision.retryAfterSeconds} s`, { retryAfterSeconds: decision.retryAfterSeconds });
    },
    tokenLimit: (req, res, next) => {
      const query: unknown = req.method === 'GET' ? req.query['query'] : (req.body as { query?: unknown } | undefined)?.query;
      const error = typeof query === 'string' ? tooManyTokens(query) : undefined;
      if (error) sendError(res, 400, error.code, error.message);
      else next();
    },
    viewerOf: (request) => viewers.get(request),
  };
}

function unauthenticated(res: Response, error: Error): void {
  res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
  sendError(res, 401, 'UNAUTHENTICATED', error instanceof AppError ? error.message : 'invalid credentials');
}

function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
