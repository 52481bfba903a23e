import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a webhook receiver knows a delivery is ours and fresh — Stripe's scheme:
 *
 *   Switchyard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *   Switchyard-Delivery:  <delivery id>   the same on every retry of one delivery: dedupe on it
 *   Switchyard-Event:     <event name>    e.g. team.notification
 *
 * The receiver recomputes the HMAC over the raw body it received, compares in constant time, and
 * rejects timestamps older than its tolerance (replays).
 */
export const SIGNATURE_HEADER = 'Switchyard-Signature';
export const DELIVERY_HEADER = 'Switchyard-Delivery';
export const EVENT_HEADER = 'Switchyard-Event';

export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmac(secret, timestampSeconds, body)}`;
}

export type SignatureCheck = { valid: true; timestamp: number } | { valid: false; reason: string };

export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  body: string,
  options: { nowSeconds: number; toleranceSeconds?: number },
): SignatureCheck {
  if (!header) return { valid: false, reason: `no ${SIGNATURE_HEADER} header` };
  const parts = header.split(',').map((part) => part.trim().split('=', 2) as [string, string | undefined]);
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  const signatures = parts.filter(([key]) => key === 'v1').map(([, value]) => value ?? '');
  if (!Number.isInteger(timestamp) || signatures.length === 0) return { valid: false, reason: 'malformed signature header' };
  if (Math.abs(options.nowSeconds - timestamp) > (options.toleranceSeconds ?? 300))
    return { valid: false, reason: 'timestamp outside the tolerance' };
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  const matches = signatures.some((signature) => {
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { valid: true, timestamp } : { valid: false, reason: 'signature does not match' };
}

function hmac(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
}
