import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from '@apollo/server';
import type { HttpGuard } from '../auth/http-guard.js';
import type { Viewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import { AppError, type ErrorDetails } from '../errors.js';
import { errorExtensions } from './error-codes.js';
import type { Logger } from '../logger.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface GraphqlHttpDeps {
  apollo: ApolloServer<RequestContext>;
  guard: HttpGuard;
  createContext(requestId: string, viewer: Viewer | undefined): RequestContext;
  logger: Logger;
}

/** A refusal answered before GraphQL sees the request, with its HTTP status. */
class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly details?: ErrorDetails,
  ) {
    super(message);
  }
}

/**
 * `GET|POST /graphql` on Node's own request and response, handed to Apollo's transport-neutral
 * `executeHTTPGraphQLRequest`: the credential, the rate limit, the body (1 MB at most, JSON), the
 * token limit, then Apollo (CSRF prevention, parse, validate, execute). Express stays for the other
 * routes; on the API's hot path its router and body parser cost more than the rest of the request.
 */
export function createGraphqlHttpHandler(deps: GraphqlHttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { apollo, guard, logger } = deps;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && /^[\w.:-]{1,100}$/.test(header) ? header : randomUUID();
    const viewer = await authenticate(guard, req);
    const decision = guard.rateLimit(viewer, req.socket.remoteAddress ?? 'unknown');
    if (!decision.allowed) {
      throw new HttpRefusal(
        429,
        'RATE_LIMITED',
        `rate limit exceeded; retry in ${decision.retryAfterSeconds} s`,
        { 'Retry-After': String(decision.retryAfterSeconds) },
        { retryAfterSeconds: decision.retryAfterSeconds },
      );
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '';
    const queryStart = url.indexOf('?');
    const search = queryStart === -1 ? '' : url.slice(queryStart);
    const body = method === 'POST' ? await readJsonBody(req) : undefined;
    const query = method === 'GET' ? new URLSearchParams(search).get('query') : isRecord(body) ? body['query'] : undefined;
    const overLimit = guard.tokenLimit(query);
    if (overLimit) throw new HttpRefusal(400, overLimit.code, overLimit.message);

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = { method, headers, search, body };
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: () => Promise.resolve(deps.createContext(requestId, viewer)),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    // Incremental delivery (@defer): each part as it comes.
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpRefusal) {
        const refusal = error;
        // Closing while the client still sends would reset the connection before it read the 413.
        if (refusal.status === 413)
          void discardRestOfBody(req).then(() =>
            sendError(res, refusal.status, refusal.code, refusal.message, refusal.headers, refusal.details),
          );
        else sendError(res, refusal.status, refusal.code, refusal.message, refusal.headers, refusal.details);
        return;
      }
      logger.error({ err: error }, 'unhandled HTTP error');
      sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    });
  };
}

async function authenticate(guard: HttpGuard, req: IncomingMessage): Promise<Viewer | undefined> {
  try {
    return await guard.authenticate(req.headers);
  } catch (error) {
    if (error instanceof AppError && error.code === 'UNAUTHENTICATED') {
      throw new HttpRefusal(401, 'UNAUTHENTICATED', error.message, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    }
    if (error instanceof AppError && error.code === 'TENANT_SUSPENDED') throw new HttpRefusal(403, 'TENANT_SUSPENDED', error.message);
    throw error;
  }
}

/**
 * The parsed JSON body; undefined when it is not JSON (Apollo then refuses it, by CSRF prevention or
 * as a missing body). Over MAX_BODY_BYTES: 413, read no further.
 */
async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity')
    throw new HttpRefusal(415, 'UNSUPPORTED_MEDIA_TYPE', `request bodies in "${encoding}" encoding are not accepted`);
  const chunks = await readBody(req);
  if (!isJsonContentType(req.headers['content-type'])) return undefined;
  const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpRefusal(400, 'BAD_REQUEST', 'request body is not valid JSON');
  }
}

function readBody(req: IncomingMessage): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      // Stop collecting; the answer closes the connection rather than reading the rest.
      req.off('data', onData);
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks));
    req.once('error', reject);
  });
}

/** What a refused client may still send (and how long it may take) before it is cut off unanswered. */
const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;
const DISCARD_LIMIT_MS = 10_000;

/**
 * HTTP/1.1's staged close: read and drop the rest of a refused body, so that the answer is read by a
 * client still sending instead of being lost to a TCP reset. Beyond the limits the socket is
 * destroyed (the caller's answer then goes nowhere).
 */
function discardRestOfBody(req: IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let discarded = 0;
    const cutOff = () => {
      req.socket.destroy();
      done();
    };
    const timer = setTimeout(cutOff, DISCARD_LIMIT_MS);
    const onData = (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > DISCARD_LIMIT_BYTES) cutOff();
    };
    function done() {
      clearTimeout(timer);
      req.off('data', onData);
      resolve();
    }
    req.on('data', onData);
    req.once('end', done);
    req.once('error', done);
    req.resume();
  });
}

/** The 413 for a body declared too large before it was sent (`Expect: 100-continue`). */
export function refusePayloadTooLarge(res: ServerResponse): void {
  const refusal = tooLarge();
  sendError(res, refusal.status, refusal.code, refusal.message, refusal.headers);
}

function tooLarge(): HttpRefusal {
  return new HttpRefusal(413, 'PAYLOAD_TOO_LARGE', 'request body larger than 1mb', { Connection: 'close' });
}

function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const essence = contentType.split(';', 1)[0]?.trim().toLowerCase();
  return essence === 'application/json';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  details?: ErrorDetails,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = status;
  for (const [key, value] of Object.entries(headers)) res.setHeader(key, value);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message, extensions: errorExtensions(code, undefined, details) }] }));
}
