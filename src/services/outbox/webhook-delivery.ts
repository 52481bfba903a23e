import type { TeamWebhook } from '../../entities/domain/team-webhook.entity.js';
import type { WebhookOutboxPayload } from '../../entities/domain/outbox-message.entity.js';
import { coerceError } from '../../errors.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook } from '../notifications/webhook-signature.js';
import { DeliveryError } from './delivery-error.js';

/** Statuses worth trying again: the receiver may answer differently later. */
const RETRYABLE_STATUSES = new Set([408, 425, 429]);

/**
 * Posts one delivery, signed at send time (the timestamp is when it left, so a late retry is not
 * mistaken for a replay). 2xx is delivered; 5xx, 408, 425, 429 and network failures are worth a retry;
 * any other status is the receiver refusing it for good.
 */
export async function postWebhook(
  fetchFn: typeof fetch,
  webhook: TeamWebhook,
  deliveryId: string,
  payload: WebhookOutboxPayload,
  now: Date,
  timeoutMs: number,
): Promise<void> {
  let response: Response;
  try {
    response = await fetchFn(webhook.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Switchyard-Webhooks/1',
        [SIGNATURE_HEADER]: signWebhook(webhook.secret, payload.body, Math.floor(now.getTime() / 1000)),
        [DELIVERY_HEADER]: deliveryId,
        [EVENT_HEADER]: payload.event,
      },
      body: payload.body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    await response.body?.cancel();
  } catch (error) {
    throw new DeliveryError(`webhook ${webhook.url} unreachable: ${coerceError(error).message}`, false, { cause: error });
  }
  if (response.status >= 200 && response.status < 300) return;
  const permanent = response.status < 500 && !RETRYABLE_STATUSES.has(response.status);
  throw new DeliveryError(`webhook ${webhook.url} answered ${response.status}`, permanent);
}
