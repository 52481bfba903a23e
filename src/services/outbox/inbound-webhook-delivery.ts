import type { EntityManager } from '@mikro-orm/postgresql';
import type { InboundWebhookOutboxPayload } from '../../entities/domain/outbox-message.entity.js';
import { transactionQueryable } from '../../infra/queryable.js';
import { coerceError } from '../../errors.js';
import { signWebhook } from '../notifications/webhook-signature.js';
import { signingSecretOf } from '../webhook-secrets/secrets.js';
import { DeliveryError } from './delivery-error.js';

/** The header each inbound source reads its signature from (src/webhooks). */
const SIGNATURE_HEADERS: Readonly<Record<string, string>> = { payments: 'Stripe-Signature' };

/**
 * Posts a provider's event to our own `/webhooks/<source>` — the built-in ledger's confirmations travel
 * the way a card processor's do: signed at send time with the tenant's newest live secret of the source.
 * Without a base URL (a worker with no API and no SWITCHYARD_PUBLIC_URL) or a secret, it is retried later.
 */
export async function postInboundWebhook(
  em: EntityManager,
  fetchFn: typeof fetch,
  delivery: {
    id: string;
    tenantId: string;
    payload: InboundWebhookOutboxPayload;
    now: Date;
    baseUrl: string | undefined;
    timeoutMs: number;
  },
): Promise<void> {
  const { payload } = delivery;
  const header = SIGNATURE_HEADERS[payload.inboundSource];
  if (!header) throw new DeliveryError(`no inbound webhook source ${payload.inboundSource}`, true);
  if (!delivery.baseUrl) throw new DeliveryError('no URL of our own API to deliver to: set SWITCHYARD_PUBLIC_URL', false);
  const secret = await signingSecretOf(transactionQueryable(em), delivery.tenantId, payload.inboundSource, delivery.now);
  if (!secret) throw new DeliveryError(`the tenant has no ${payload.inboundSource} webhook secret`, false);
  const url = new URL(`/webhooks/${payload.inboundSource}`, delivery.baseUrl);
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Switchyard-Ledger/1',
        [header]: signWebhook(secret, payload.body, Math.floor(delivery.now.getTime() / 1000)),
      },
      body: payload.body,
      signal: AbortSignal.timeout(delivery.timeoutMs),
      redirect: 'manual',
    });
    await response.body?.cancel();
  } catch (error) {
    throw new DeliveryError(`${url.href} unreachable: ${coerceError(error).message}`, false, { cause: error });
  }
  if (response.status >= 200 && response.status < 300) return;
  throw new DeliveryError(`${url.href} answered ${response.status}`, response.status < 500 && response.status !== 429);
}
