import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeStripeIntent {
  id: string;
  amount: number;
  currency: string;
  status: string;
  paymentMethod: string;
  metadata: Record<string, string>;
}

export interface FakeStripe {
  url: string;
  intents: Map<string, FakeStripeIntent>;
  /** Refunds by id: the intent they give back and how much. */
  refunds: Map<string, { paymentIntent: string; amount: number }>;
  /** Every request: method, path, idempotency key. */
  requests: Array<{ method: string; path: string; idempotencyKey: string | undefined }>;
  /** The next `count` requests answer 503. */
  failNext(count: number): void;
  stop(): Promise<void>;
}

const DECLINED = 'pm_card_chargedeclined';

/**
 * The parts of Stripe's API the adapter uses, as Stripe speaks them: `POST /v1/payment_intents` (form
 * fields, `confirm=true`, `Idempotency-Key`: the same key and parameters answer the same intent, other
 * parameters 409), `POST /v1/payment_intents/:id/cancel`, `POST /v1/refunds` (of a succeeded intent, at most
 * its amount; again once refunded: 400 charge_already_refunded), Bearer `sk_test_fake`. `pm_card_chargeDeclined`
 * is declined with a 402 card_error carrying the intent, as Stripe's test card is.
 */
export async function startFakeStripe(apiKey = 'sk_test_fake'): Promise<FakeStripe> {
  const intents = new Map<string, FakeStripeIntent>();
  const refunds = new Map<string, { paymentIntent: string; amount: number }>();
  const byKey = new Map<string, { body: string; status: number; answer: unknown }>();
  const requests: FakeStripe['requests'] = [];
  let failing = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
      requests.push({ method: req.method ?? '', path, idempotencyKey: key });
      const send = (status: number, answer: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(answer));
      };
      if (failing > 0) {
        failing -= 1;
        send(503, { error: { type: 'api_error', message: 'service unavailable' } });
        return;
      }
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
        return;
      }
      if (key && byKey.has(key)) {
        const first = byKey.get(key);
        if (first?.body !== body)
          send(409, {
            error: {
              type: 'idempotency_error',
              message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.',
            },
          });
        else send(first.status, first.answer);
        return;
      }
      const remember = (status: number, answer: unknown) => {
        if (key) byKey.set(key, { body, status, answer });
        send(status, answer);
      };
      const fields = new URLSearchParams(body);
      if (req.method === 'POST' && path === '/v1/payment_intents') {
        const amount = Number(fields.get('amount'));
        const currency = fields.get('currency') ?? '';
        if (!Number.isInteger(amount) || amount < 1 || !/^[a-z]{3}$/.test(currency)) {
          remember(400, {
            error: { type: 'invalid_request_error', code: 'parameter_invalid_integer', message: 'Invalid amount or currency' },
          });
          return;
        }
        const metadata: Record<string, string> = {};
        for (const [name, value] of fields) {
          const match = /^metadata\[(.+)\]$/.exec(name);
          if (match?.[1]) metadata[match[1]] = value;
        }
        const paymentMethod = fields.get('payment_method') ?? '';
        const declined = paymentMethod.toLowerCase() === DECLINED;
        const intent: FakeStripeIntent = {
          id: `pi_${randomBytes(12).toString('hex')}`,
          amount,
          currency,
          status: declined ? 'requires_payment_method' : 'succeeded',
          paymentMethod,
          metadata,
        };
        intents.set(intent.id, intent);
        const object = { id: intent.id, object: 'payment_intent', amount, currency, status: intent.status, metadata };
        if (declined)
          remember(402, {
            error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.', payment_intent: object },
          });
        else remember(200, object);
        return;
      }
      const cancel = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(path);
      if (req.method === 'POST' && cancel?.[1]) {
        const intent = intents.get(decodeURIComponent(cancel[1]));
        if (!intent)
          remember(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such payment_intent' } });
        else if (intent.status === 'succeeded' || intent.status === 'canceled') {
          remember(400, {
            error: {
              type: 'invalid_request_error',
              code: 'payment_intent_unexpected_state',
              message: `This PaymentIntent's status is ${intent.status}`,
            },
          });
        } else {
          intent.status = 'canceled';
          remember(200, { id: intent.id, object: 'payment_intent', status: 'canceled' });
        }
        return;
      }
      if (req.method === 'POST' && path === '/v1/refunds') {
        const intent = intents.get(fields.get('payment_intent') ?? '');
        const amount = Number(fields.get('amount') ?? intent?.amount);
        const invalid = (code: string, message: string) => remember(400, { error: { type: 'invalid_request_error', code, message } });
        if (!intent) invalid('resource_missing', 'No such payment_intent');
        else if ([...refunds.values()].some((refund) => refund.paymentIntent === intent.id))
          invalid('charge_already_refunded', 'Charge has already been refunded.');
        else if (intent.status !== 'succeeded')
          invalid('payment_intent_unexpected_state', 'This PaymentIntent does not have a successful charge to refund.');
        else if (!Number.isInteger(amount) || amount < 1 || amount > intent.amount)
          invalid('amount_too_large', 'Refund amount is greater than unrefunded amount on charge.');
        else {
          const id = `re_${randomBytes(12).toString('hex')}`;
          refunds.set(id, { paymentIntent: intent.id, amount });
          remember(200, { id, object: 'refund', amount, currency: intent.currency, payment_intent: intent.id, status: 'succeeded' });
        }
        return;
      }
      send(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${path})` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    intents,
    refunds,
    requests,
    failNext: (count) => void (failing = count),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
