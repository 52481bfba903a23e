import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { OutboxMessage, type EmailOutboxPayload, type OutboxKind } from '../../entities/domain/outbox-message.entity.js';
import { TeamWebhook } from '../../entities/domain/team-webhook.entity.js';
import { coerceError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './backoff.js';
import { DeliveryError } from './delivery-error.js';
import type { EmailSender } from './smtp-mailer.js';
import { postInboundWebhook } from './inbound-webhook-delivery.js';
import { postWebhook } from './webhook-delivery.js';
import { inClientSpan, withTraceParent } from '../../observability/tracing/trace-context.js';

export interface OutboxDispatcherOptions {
  /** Messages per runOnce; a full batch makes the loop go again at once. */
  batchSize?: number;
  pollIntervalMs?: number;
  /** After this many failed attempts a message is `failed`. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  webhookTimeoutMs?: number;
}

export interface OutboxDispatcherDeps {
  orm: MikroORM;
  /** Without one, e-mails wait in the outbox (webhooks still go). */
  mailer?: EmailSender | undefined;
  fetch?: typeof fetch;
  logger: Logger;
  clock?: () => Date;
  /** The backoff's jitter, in [0, 1); tests fix it. Default: Math.random. */
  random?: () => number;
  options?: OutboxDispatcherOptions;
  /** Told of every delivery attempt once its outcome is committed (metrics). */
  onDelivery?: (delivery: { kind: OutboxKind; outcome: Outcome }) => void;
  /** Where our own API answers (`http://host:port`), for the built-in ledger's signed confirmations to `/webhooks/<source>`. */
  ownBaseUrl?: () => string | undefined;
  /** Schedules the next poll; tests pass one whose pending polls they can see. Default: a timer. */
  schedule?: (poll: () => void, ms: number) => { cancel(): void };
}

export interface DispatchReport {
  sent: number;
  retrying: number;
  failed: number;
}

export interface OutboxDispatcher {
  /** Delivers what is due, up to one batch. */
  runOnce(): Promise<DispatchReport>;
  /** Polls until stop(). */
  start(): void;
  /** Stops polling and waits for the delivery in flight. */
  stop(): Promise<void>;
}

export type Outcome = keyof DispatchReport;

const attachment = z.object({ filename: z.string(), contentType: z.string(), contentBase64: z.string() });
const emailPayload = z.object({
  to: z.string(),
  toName: z.string().exactOptional(),
  subject: z.string(),
  text: z.string(),
  html: z.string().exactOptional(),
  attachments: z.array(attachment).exactOptional(),
  template: z.string().exactOptional(),
  traceParent: z.string().exactOptional(),
});
const webhookPayload = z.object({ webhookId: z.string(), event: z.string(), body: z.string(), traceParent: z.string().exactOptional() });
const inboundWebhookPayload = z.object({
  inboundSource: z.string(),
  event: z.string(),
  body: z.string(),
  traceParent: z.string().exactOptional(),
});

/**
 * A sent e-mail that carried a secret (an invitation token, an API key) keeps only the text shown in its
 * place: the plain secret lived in the outbox only until it left. Rolled back with the claim, so a resend
 * after a crash still has it.
 */
function forgetSecrets(message: OutboxMessage): void {
  if (message.kind !== 'email') return;
  const { shownText, html: _html, ...email } = message.payload as EmailOutboxPayload;
  if (shownText !== undefined) message.payload = { ...email, text: shownText, shownText };
}

/**
 * Delivers the outbox (e-mails over SMTP, webhooks over HTTP). Each message is handled in a transaction
 * of its own: claim the row (`FOR UPDATE SKIP LOCKED`, so concurrent dispatchers never take the same
 * one), send it, record the outcome, commit. The row stays locked while it is sent, so two dispatchers
 * can never send it at the same time; the price is a connection held for one send (bounded by the send
 * timeout). A crash between the send and the commit rolls the claim back and the message goes again
 * later with the same identity — Message-ID `<outbox id@domain>`, `Switchyard-Delivery: <outbox id>` —
 * which receivers dedupe on: at least once, never twice under different names.
 */
export function createOutboxDispatcher(deps: OutboxDispatcherDeps): OutboxDispatcher {
  const clock = deps.clock ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const fetchFn = deps.fetch ?? fetch;
  const batchSize = deps.options?.batchSize ?? 20;
  const pollIntervalMs = deps.options?.pollIntervalMs ?? 1_000;
  const maxAttempts = deps.options?.maxAttempts ?? 8;
  const backoff = deps.options?.backoff ?? DEFAULT_BACKOFF;
  const webhookTimeoutMs = deps.options?.webhookTimeoutMs ?? 10_000;
  const kinds: OutboxKind[] = deps.mailer ? ['email', 'webhook'] : ['webhook'];
  const logger = deps.logger.child({ component: 'outbox' });

  async function deliver(em: EntityManager, message: OutboxMessage, now: Date): Promise<void> {
    switch (message.kind) {
      case 'email': {
        const email = emailPayload.safeParse(message.payload);
        if (!email.success) throw new DeliveryError('malformed e-mail payload', true);
        const { mailer } = deps;
        if (!mailer) throw new DeliveryError('no mailer configured', false);
        const { template, traceParent, ...outgoing } = email.data;
        // SMTP has no instrumentation of its own: the send is a span, in the trace of the step that queued it.
        const attributes = { 'switchyard.outbox.id': message.id, ...(template ? { 'switchyard.email.template': template } : {}) };
        await withTraceParent(traceParent, () => inClientSpan('SMTP send', attributes, () => mailer.send({ id: message.id, ...outgoing })));
        return;
      }
      case 'webhook': {
        const inbound = inboundWebhookPayload.safeParse(message.payload);
        if (inbound.success) {
          const baseUrl = deps.ownBaseUrl?.();
          // Traced, the POST is a child of the step that created the intent, so the intake it reaches joins that trace.
          await withTraceParent(inbound.data.traceParent, () =>
            postInboundWebhook(em, fetchFn, {
              id: message.id,
              tenantId: message.tenant.id,
              payload: inbound.data,
              now,
              baseUrl,
              timeoutMs: webhookTimeoutMs,
            }),
          );
          return;
        }
        const payload = webhookPayload.safeParse(message.payload);
        if (!payload.success) throw new DeliveryError('malformed webhook payload', true);
        const webhook = await em.findOne(TeamWebhook, { id: payload.data.webhookId, tenant: message.tenant });
        if (!webhook?.active) throw new DeliveryError(`webhook ${payload.data.webhookId} is gone or inactive`, true);
        // Traced, the POST is a child of the step that queued it (and carries that trace's traceparent).
        await withTraceParent(payload.data.traceParent, () =>
          postWebhook(fetchFn, webhook, message.id, payload.data, now, webhookTimeoutMs),
        );
        return;
      }
      default: {
        const unknown: never = message.kind;
        throw new DeliveryError(`unknown outbox kind ${String(unknown)}`, true);
      }
    }
  }

  async function dispatchNext(): Promise<{ kind: OutboxKind; outcome: Outcome } | undefined> {
    return deps.orm.em.fork().transactional(async (em) => {
      const now = clock();
      const [message] = await em.find(
        OutboxMessage,
        { status: 'pending', kind: { $in: kinds }, nextAttemptAt: { $lte: now } },
        { orderBy: { nextAttemptAt: 'asc', id: 'asc' }, limit: 1, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
      );
      if (!message) return undefined;
      message.attempts += 1;
      try {
        await deliver(em, message, now);
        message.status = 'sent';
        message.sentAt = clock();
        forgetSecrets(message);
        logger.debug({ outboxId: message.id, kind: message.kind, attempts: message.attempts }, 'outbox message delivered');
        return { kind: message.kind, outcome: 'sent' as const };
      } catch (error) {
        const failure = error instanceof DeliveryError ? error : new DeliveryError(coerceError(error).message, false, { cause: error });
        message.lastError = failure.message.slice(0, 2_000);
        if (failure.permanent || message.attempts >= maxAttempts) {
          message.status = 'failed';
          logger.warn(
            { outboxId: message.id, kind: message.kind, attempts: message.attempts, err: failure },
            'outbox message failed for good',
          );
          return { kind: message.kind, outcome: 'failed' as const };
        }
        message.nextAttemptAt = new Date(now.getTime() + retryDelayMs(message.attempts, backoff, random));
        logger.info(
          { outboxId: message.id, kind: message.kind, attempts: message.attempts, nextAttemptAt: message.nextAttemptAt, err: failure },
          'outbox delivery failed; will retry',
        );
        return { kind: message.kind, outcome: 'retrying' as const };
      }
    });
  }

  async function runOnce(): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, retrying: 0, failed: 0 };
    for (let handled = 0; handled < batchSize; handled += 1) {
      const delivery = await dispatchNext();
      if (!delivery) break;
      report[delivery.outcome] += 1;
      deps.onDelivery?.(delivery);
    }
    return report;
  }

  let stopped = true;
  let next: { cancel(): void } | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  const schedule =
    deps.schedule ??
    ((poll: () => void, ms: number) => {
      const timer = setTimeout(poll, ms);
      return { cancel: () => clearTimeout(timer) };
    });

  async function tick(): Promise<void> {
    let busy = false;
    try {
      const report = await runOnce();
      busy = report.sent + report.retrying + report.failed >= batchSize;
    } catch (error) {
      logger.error({ err: error }, 'outbox dispatch failed');
    }
    if (!stopped) next = schedule(() => (inFlight = tick()), busy ? 0 : pollIntervalMs);
  }

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      if (!deps.mailer) logger.info('no SMTP configured: e-mails stay in the outbox');
      inFlight = tick();
    },
    async stop() {
      stopped = true;
      next?.cancel();
      await inFlight;
    },
  };
}
