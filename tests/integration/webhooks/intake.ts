import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  WebhookCreateSecretDocument,
  WebhookEventDocument,
  WebhookEventsDocument,
  WebhookRevokeSecretDocument,
  WebhookRotateSecretDocument,
  WebhookSecretsDocument,
} from '../../generated/graphql.js';
import { Tenant } from '../../../src/entities/tenant.entity.js';
import { createWebhookSecret } from '../../../src/services/webhook-secrets/secrets.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { eventually } from '../../helpers/eventually.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { codeOf, installManualClock, type ManualClock } from '../people/support.js';
import { deliver, paymentEvent } from './support.js';

describe('inbound webhooks: POST /webhooks/<source>', () => {
  let database: TestDatabase;
  let server: TestServer;
  let clock: ManualClock;
  let secret: string;

  const recordedPayments = async () => {
    const rows = await server.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ count: string }>>(`select count(*) as count from domain_events where source = 'webhook:payments'`);
    return Number(rows[0]?.count);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    clock = installManualClock(server);
    await server.engine.workflows.save({
      tenantId: server.adminTenantId,
      name: 'on_payment',
      definition: {
        triggers: [{ event: 'payment.succeeded' }],
        steps: [{ name: 'echo', type: 'transform', expression: 'context.intentId' }],
      },
    });
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('makes a secret through the API that is shown once; a second is a CONFLICT (rotate instead)', async () => {
    const created = await execute(server.url, WebhookCreateSecretDocument, { source: 'payments' }, server.adminHeaders);
    expect(created.errors).toBeUndefined();
    secret = created.data?.createWebhookSecret.secret ?? '';
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.data?.createWebhookSecret.webhookSecret).toMatchObject({
      source: 'payments',
      path: '/webhooks/payments',
      prefix: secret.slice(0, 10),
      expiresAt: null,
    });

    const listed = await execute(server.url, WebhookSecretsDocument, { includeExpired: false }, server.adminHeaders);
    expect(JSON.stringify(listed.data)).not.toContain(secret.slice(10));
    expect(listed.data?.webhookSecrets).toHaveLength(1);

    expect(codeOf(await execute(server.url, WebhookCreateSecretDocument, { source: 'payments' }, server.adminHeaders))).toBe('CONFLICT');
    expect(codeOf(await execute(server.url, WebhookCreateSecretDocument, { source: 'nope' }, server.adminHeaders))).toBe('VALIDATION');
  });

  it('records a valid delivery once as a domain event with the provider id, answers 200, and dispatches it like any event', async () => {
    const body = paymentEvent('evt_1', 'payment_intent.succeeded', {
      id: 'pi_1',
      amount: 11_900,
      currency: 'EUR',
      metadata: { order: 'o-1' },
    });
    const first = await deliver(server.url, 'payments', body, { secret, clock });
    expect(first).toMatchObject({ status: 200, body: { received: true, recorded: true } });
    const again = await deliver(server.url, 'payments', body, { secret, clock });
    expect(again).toMatchObject({ status: 200, body: { received: true, recorded: false, eventId: first.body['eventId'] } });
    expect(await recordedPayments()).toBe(1);

    const event = await eventually(
      'the event is dispatched',
      async () => (await execute(server.url, WebhookEventDocument, { id: 'payments:evt_1' }, server.adminHeaders)).data?.event,
      (found) => Boolean(found?.dispatchedAt),
    );
    expect(event).toMatchObject({
      id: first.body['eventId'],
      name: 'payment.succeeded',
      source: 'webhook:payments',
      payload: {
        intentId: 'pi_1',
        status: 'succeeded',
        amount: 11_900,
        currency: 'EUR',
        providerEventId: 'evt_1',
        metadata: { order: 'o-1' },
      },
    });
    expect(event?.executions).toHaveLength(1);
  });

  it('maps a failed payment to payment.failed and answers other event types 200 without recording them', async () => {
    const failed = paymentEvent('evt_2', 'payment_intent.payment_failed', {
      id: 'pi_2',
      amount: 500,
      currency: 'usd',
      error: { code: 'card_declined', message: 'Your card was declined.' },
    });
    expect((await deliver(server.url, 'payments', failed, { secret, clock })).status).toBe(200);
    const [event] =
      (await execute(server.url, WebhookEventsDocument, { name: 'payment.failed' }, server.adminHeaders)).data?.events.nodes ?? [];
    expect(event?.payload).toMatchObject({ intentId: 'pi_2', status: 'failed', failureCode: 'card_declined', currency: 'USD' });

    const other = paymentEvent('evt_3', 'charge.refunded', { id: 'pi_3', amount: 1, currency: 'EUR' });
    expect(await deliver(server.url, 'payments', other, { secret, clock })).toMatchObject({ status: 200, body: { recorded: false } });
    expect(await recordedPayments()).toBe(2);
  });

  it('refuses a bad, stale or missing signature with 400 and records nothing', async () => {
    const body = paymentEvent('evt_bad', 'payment_intent.succeeded', { id: 'pi_bad', amount: 100, currency: 'EUR' });
    const wrongSecret = await deliver(server.url, 'payments', body, { secret: `${secret}x`, clock });
    expect(wrongSecret).toMatchObject({ status: 400, body: { error: { extensions: { code: 'UNAUTHENTICATED' } } } });
    expect((await deliver(server.url, 'payments', body, { secret, clock, skewSeconds: -301 })).status).toBe(400);
    expect((await deliver(server.url, 'payments', body, { secret, clock, skewSeconds: 301 })).status).toBe(400);
    expect((await deliver(server.url, 'payments', body, { secret, clock, skewSeconds: -299 })).status).toBe(200);
    const tampered = await deliver(server.url, 'payments', body.replace('"amount":100', '"amount":1'), {
      header: `t=${Math.floor(clock.now().getTime() / 1000)},v1=${'0'.repeat(64)}`,
    });
    expect(tampered.status).toBe(400);
    expect((await deliver(server.url, 'payments', body, undefined)).status).toBe(400);
    expect(await recordedPayments()).toBe(3);
  });

  it('answers 404 for an unknown source and 413 for a body over the limit', async () => {
    expect((await deliver(server.url, 'nope', '{}', { secret, clock })).status).toBe(404);
    const huge = JSON.stringify({ id: 'evt_big', type: 'payment_intent.succeeded', padding: 'x'.repeat(300 * 1024) });
    const response = await deliver(server.url, 'payments', huge, { secret, clock });
    expect(response).toMatchObject({ status: 413, body: { error: { extensions: { code: 'PAYLOAD_TOO_LARGE' } } } });
  });

  it("records a delivery in the tenant whose secret verifies it, never another's", async () => {
    const em = server.orm.em.fork();
    const other = em.create(Tenant, { slug: 'other-webhooks', name: 'Other' });
    await em.flush();
    const created = await createWebhookSecret(em, {
      tenantId: other.id,
      source: 'payments',
      createdBy: 'test',
      now: clock.now(),
      sources: ['payments'],
    });
    const body = paymentEvent('evt_other_1', 'payment_intent.succeeded', { id: 'pi_other', amount: 700, currency: 'EUR' });
    expect((await deliver(server.url, 'payments', body, { secret: created.secret, clock })).status).toBe(200);
    const rows = await em
      .getConnection()
      .execute<Array<{ tenant_id: string }>>(`select tenant_id from domain_events where payload->>'intentId' = 'pi_other'`);
    expect(rows).toEqual([{ tenant_id: other.id }]);
    // The same provider event id in another tenant is another event.
    expect(
      (
        await deliver(
          server.url,
          'payments',
          paymentEvent('evt_1', 'payment_intent.succeeded', { id: 'pi_other', amount: 700, currency: 'EUR' }),
          { secret: created.secret, clock },
        )
      ).body,
    ).toMatchObject({ recorded: true });
  });

  it('rotates with an overlap during which both secrets verify; after it only the new one', async () => {
    const rotated = await execute(
      server.url,
      WebhookRotateSecretDocument,
      { source: 'payments', overlapSeconds: 3_600 },
      server.adminHeaders,
    );
    expect(rotated.errors).toBeUndefined();
    const next = rotated.data?.rotateWebhookSecret.secret ?? '';
    expect(next).not.toBe(secret);
    const event = (id: string) => paymentEvent(id, 'payment_intent.succeeded', { id: `pi_${id}`, amount: 100, currency: 'EUR' });
    expect((await deliver(server.url, 'payments', event('evt_old_1'), { secret, clock })).status).toBe(200);
    expect((await deliver(server.url, 'payments', event('evt_new_1'), { secret: next, clock })).status).toBe(200);

    clock.advance(3_601_000);
    expect((await deliver(server.url, 'payments', event('evt_old_2'), { secret, clock })).status).toBe(400);
    expect((await deliver(server.url, 'payments', event('evt_new_2'), { secret: next, clock })).status).toBe(200);
    const live =
      (await execute(server.url, WebhookSecretsDocument, { includeExpired: false }, server.adminHeaders)).data?.webhookSecrets ?? [];
    expect(live.map((each) => each.prefix)).toEqual([next.slice(0, 10)]);

    const revoked = await execute(server.url, WebhookRevokeSecretDocument, { id: live[0]?.id ?? '' }, server.adminHeaders);
    expect(revoked.data?.revokeWebhookSecret.expiresAt).not.toBeNull();
    expect((await deliver(server.url, 'payments', event('evt_new_3'), { secret: next, clock })).status).toBe(400);
  });
});
