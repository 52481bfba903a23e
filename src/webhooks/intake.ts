import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { clockOf } from '../auth/clock.js';
import { inTenantTransaction } from '../auth/tenant-scope.js';
import type { EventCatalog } from '../engine/triggers/event-catalog.js';
import { transactionQueryable } from '../infra/queryable.js';
import { AppError, coerceError } from '../errors.js';
import { errorExtensions } from '../http/error-codes.js';
import type { Logger } from '../logger.js';
import { verifyWebhookSignature } from '../services/notifications/webhook-signature.js';
import { liveSecretsOf } from '../services/webhook-secrets/secrets.js';
import { WebhookBodyError, type WebhookSource } from './sources.js';

export const WEBHOOKS_PATH = '/webhooks/';
/** Providers' events are a few kilobytes; a body over this is refused (413) before it is read whole. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;
/** How far a signature's timestamp may be from our clock, either way (replays of old deliveries). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface WebhookIntakeDeps {
  orm: MikroORM;
  events: EventCatalog;
  sources: readonly WebhookSource[];
  logger: Logger;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function refuse(res: ServerResponse, refusal: Refusal): void {
  const headers: Record<string, string> =
    refusal.status === 413 ? { Connection: 'close' } : refusal.status === 405 ? { Allow: 'POST' } : {};
  send(res, refusal.status, { error: { message: refusal.message, extensions: errorExtensions(refusal.code) } }, headers);
}

/** The raw body, as signed; a declared or actual length over the limit is a 413. */
async function readBody(req: IncomingMessage): Promise<string> {
  if (Number(req.headers['content-length']) > MAX_WEBHOOK_BODY_BYTES)
    throw new Refusal(413, 'PAYLOAD_TOO_LARGE', `a webhook body has at most ${MAX_WEBHOOK_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_WEBHOOK_BODY_BYTES)
      throw new Refusal(413, 'PAYLOAD_TOO_LARGE', `a webhook body has at most ${MAX_WEBHOOK_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `POST /webhooks/<source>`: a delivery from a provider. Verified against every live secret of the
 * source (the one that verifies names the tenant), then recorded once as a domain event with the
 * provider's event id — in its own short transaction, so the answer (200) comes as soon as it is
 * committed; the event dispatcher delivers it afterwards like any other event (triggers, waits).
 * A redelivery answers 200 again and changes nothing. Bad or stale signature: 400, nothing recorded;
 * unknown source: 404; body over the limit: 413.
 */
export function createWebhookIntake(deps: WebhookIntakeDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const sources = new Map(deps.sources.map((source) => [source.name, source]));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const name = decodeURIComponent(pathname.slice(WEBHOOKS_PATH.length));
    const source = sources.get(name);
    if (!source) throw new Refusal(404, 'NOT_FOUND', `no webhook source ${JSON.stringify(name.slice(0, 40))}`);
    if (req.method !== 'POST') throw new Refusal(405, 'BAD_REQUEST', 'webhooks are POSTed');
    const body = await readBody(req);

    const header = req.headers[source.signatureHeader];
    const signature = Array.isArray(header) ? header[0] : header;
    if (!signature) throw new Refusal(400, 'UNAUTHENTICATED', `no ${source.signatureHeader} header`);
    const em = deps.orm.em.fork();
    const now = clockOf(em).now();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    let tenantId: string | undefined;
    let reason = 'no secret is configured for this source';
    for (const candidate of await liveSecretsOf(transactionQueryable(em), source.name, now)) {
      const check = verifyWebhookSignature(candidate.secret, signature, body, {
        nowSeconds,
        toleranceSeconds: SIGNATURE_TOLERANCE_SECONDS,
      });
      if (check.valid) {
        tenantId = candidate.tenantId;
        break;
      }
      reason = check.reason;
      // A malformed header or a stale timestamp fails the same way with every secret.
      if (reason !== 'signature does not match') break;
    }
    if (!tenantId) throw new Refusal(400, 'UNAUTHENTICATED', `invalid signature: ${reason}`);

    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new Refusal(400, 'BAD_REQUEST', 'the body is not JSON');
    }
    const event = source.toEvent(parsed);
    if (event.kind === 'ignored') {
      send(res, 200, { received: true, recorded: false, reason: event.reason });
      return;
    }
    const tenant = tenantId;
    const { event: recorded, created } = await inTenantTransaction(em, tenant, async (transactional) => {
      const published = await deps.events.publish(transactional, {
        tenantId: tenant,
        name: event.name,
        payload: event.payload,
        id: event.id,
        source: `webhook:${source.name}`,
      });
      if (published.created) await source.afterRecord?.(transactional, tenant, event.payload);
      return published;
    });
    deps.logger.info(
      { source: source.name, tenantId: tenant, eventId: recorded.id, name: event.name, created },
      created ? 'webhook recorded' : 'webhook redelivered',
    );
    send(res, 200, { received: true, recorded: created, eventId: recorded.id });
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof Refusal) refuse(res, error);
      else if (error instanceof WebhookBodyError) refuse(res, new Refusal(400, 'VALIDATION', error.message));
      else if (error instanceof AppError && error.code !== 'INTERNAL_SERVER_ERROR')
        refuse(res, new Refusal(error.retryable ? 503 : 400, error.code, error.message));
      else {
        deps.logger.error({ err: coerceError(error) }, 'webhook intake failed');
        refuse(res, new Refusal(500, 'INTERNAL_SERVER_ERROR', 'internal server error'));
      }
    });
  };
}
