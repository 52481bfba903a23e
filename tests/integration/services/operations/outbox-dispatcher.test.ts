import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { EmailTemplate } from '../../../../src/entities/domain/email-template.entity.js';
import { OutboxMessage } from '../../../../src/entities/domain/outbox-message.entity.js';
import { TeamWebhook } from '../../../../src/entities/domain/team-webhook.entity.js';
import { ormOptions } from '../../../../src/infra/database.js';
import { createLogger } from '../../../../src/logger.js';
import { createMetrics } from '../../../../src/observability/metrics.js';
import { countOutboxBacklog } from '../../../../src/services/outbox/backlog.js';
import { verifyWebhookSignature } from '../../../../src/services/notifications/webhook-signature.js';
import { createOutboxDispatcher, type OutboxDispatcherDeps } from '../../../../src/services/outbox/dispatcher.js';
import { createSmtpMailer, type EmailSender } from '../../../../src/services/outbox/smtp-mailer.js';
import { eventually } from '../../../helpers/eventually.js';
import { startHttpReceiver, type HttpReceiver } from './support/http-receiver.js';
import { setUpOperations, type OperationsTestContext } from './support/context.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';

describe('outbox dispatcher', () => {
  let context: OperationsTestContext;
  let smtp: SmtpSink;
  let receiver: HttpReceiver;
  let mailer: EmailSender;
  const logger = createLogger('silent');
  /** The dispatcher's clock runs ahead by this much, so tests can wait out a backoff without waiting. */
  let aheadMs = 0;
  const clock = () => new Date(Date.now() + aheadMs);

  const dispatcher = (overrides: Partial<OutboxDispatcherDeps> = {}) =>
    createOutboxDispatcher({
      orm: context.orm,
      mailer,
      logger,
      clock,
      options: { maxAttempts: 3, backoff: { baseMs: 60_000, maxMs: 600_000 } },
      ...overrides,
    });

  const sendEmail = async (to: string) =>
    (
      (await context.call('communications', 'sendTemplateEmail', {
        template: 'service_activated',
        recipient: { email: to, name: 'Ada' },
        variables: { name: 'Ada' },
      })) as {
        messageId: string;
      }
    ).messageId;

  const outbox = (id: string) => context.orm.em.fork().findOneOrFail(OutboxMessage, { id });

  beforeAll(async () => {
    context = await setUpOperations();
    smtp = await startSmtpSink();
    receiver = await startHttpReceiver();
    mailer = createSmtpMailer({ url: smtp.url, from: 'Switchyard <noreply@isp.example.com>', timeoutMs: 5_000 });
    const em = context.orm.em.fork();
    em.create(EmailTemplate, {
      tenant: context.tenantId,
      name: 'service_activated',
      subject: 'Your service is live, {{name}}',
      textBody: 'Hello {{name}}, you are online.',
      htmlBody: '<p>Hello {{name}}, you are online.</p>',
    });
    em.create(TeamWebhook, { tenant: context.tenantId, team: 'noc', url: `${receiver.url}/hooks/noc`, secret: 'whsec_noc' });
    em.create(TeamWebhook, { tenant: context.tenantId, team: 'gone', url: `${receiver.url}/hooks/gone`, secret: 'whsec_gone' });
    await em.flush();
  });
  afterAll(async () => {
    mailer.close();
    await receiver.stop();
    await smtp.stop();
    await context.close();
  });
  beforeEach(async () => {
    aheadMs = 0;
    smtp.received.length = 0;
    receiver.received.length = 0;
    // Each test starts with an empty outbox.
    await context.orm.em.fork().nativeDelete(OutboxMessage, {});
  });

  it('delivers an e-mail over SMTP exactly once, with a Message-ID derived from the outbox id', async () => {
    const id = await sendEmail('ada@example.com');
    await expect(dispatcher().runOnce()).resolves.toEqual({ sent: 1, retrying: 0, failed: 0 });
    await expect(dispatcher().runOnce()).resolves.toEqual({ sent: 0, retrying: 0, failed: 0 });

    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail).toMatchObject({ from: 'noreply@isp.example.com', to: ['ada@example.com'], messageId: `<${id}@isp.example.com>` });
    expect(mail!.raw).toContain('Subject: Your service is live, Ada');
    expect(mail!.raw).toContain('Hello Ada, you are online.');
    expect(mail!.raw).toContain('<p>Hello Ada, you are online.</p>');
    expect(await outbox(id)).toMatchObject({ status: 'sent', attempts: 1, sentAt: expect.any(Date) });
  });

  it('keeps only the shown text of an e-mail that carried a secret once it is sent', async () => {
    const em = context.orm.em.fork();
    const message = em.create(OutboxMessage, {
      tenant: context.tenantId,
      kind: 'email',
      payload: {
        to: 'owner@example.com',
        subject: 'Your key',
        text: 'Your key: sy_0123456789ab_secret',
        html: '<p>Your key: sy_0123456789ab_secret</p>',
        shownText: 'Your key: (shown only to its recipient)',
        template: 'business_activated',
      },
    });
    await em.flush();
    await expect(dispatcher().runOnce()).resolves.toMatchObject({ sent: 1 });
    expect(smtp.received[0]?.raw).toContain('sy_0123456789ab_secret');
    const stored = await outbox(message.id);
    expect(stored.payload).toEqual({
      to: 'owner@example.com',
      subject: 'Your key',
      text: 'Your key: (shown only to its recipient)',
      shownText: 'Your key: (shown only to its recipient)',
      template: 'business_activated',
    });
  });

  it('lets several dispatchers run at once without sending anything twice', async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => sendEmail(`user${i}@example.com`)));
    const reports = await Promise.all([dispatcher().runOnce(), dispatcher().runOnce(), dispatcher().runOnce()]);
    expect(reports.reduce((sum, report) => sum + report.sent, 0)).toBe(12);
    expect(smtp.received).toHaveLength(12);
    expect(new Set(smtp.received.map((mail) => mail.messageId)).size).toBe(12);
    expect(new Set(smtp.received.map((mail) => mail.messageId))).toEqual(new Set(ids.map((id) => `<${id}@isp.example.com>`)));
  });

  it('after a crash between sending and recording, sends again under the same Message-ID, and only then records it', async () => {
    const id = await sendEmail('crash@example.com');
    // A dispatcher whose database session dies right after the SMTP server accepted the message: its
    // transaction (the claim and the "sent" mark) never commits, as when the process is killed there.
    const crashingOrm = await MikroORM.init(ormOptions(context.database.url, 2));
    const crashingMailer: EmailSender = {
      async send(email) {
        await mailer.send(email);
        const killer = new pg.Client({ connectionString: context.database.url });
        await killer.connect();
        try {
          await killer.query(
            `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and state = 'idle in transaction' and pid <> pg_backend_pid()`,
          );
        } finally {
          await killer.end();
        }
      },
      close: () => undefined,
    };
    try {
      await expect(createOutboxDispatcher({ orm: crashingOrm, mailer: crashingMailer, logger, clock }).runOnce()).rejects.toThrow();
    } finally {
      await crashingOrm.close(true);
    }
    expect(smtp.received).toHaveLength(1);
    expect(await outbox(id)).toMatchObject({ status: 'pending', attempts: 0 });

    await expect(dispatcher().runOnce()).resolves.toMatchObject({ sent: 1 });
    await expect(dispatcher().runOnce()).resolves.toMatchObject({ sent: 0 });
    expect(smtp.received.map((mail) => mail.messageId)).toEqual([`<${id}@isp.example.com>`, `<${id}@isp.example.com>`]);
    expect(await outbox(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('retries a temporary SMTP refusal with exponential backoff and gives up after the last attempt', async () => {
    const id = await sendEmail('someone@later.invalid');
    // Time stands still where the message became due, and the jitter takes off a quarter (0.5 + 0.5 / 2).
    const queuedAt = (await outbox(id)).nextAttemptAt.getTime();
    let now = queuedAt;
    const retrying = (overrides: Partial<OutboxDispatcherDeps> = {}) =>
      dispatcher({ clock: () => new Date(now), random: () => 0.5, ...overrides });
    await expect(retrying().runOnce()).resolves.toEqual({ sent: 0, retrying: 1, failed: 0 });
    let message = await outbox(id);
    expect(message).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('451') });
    // First retry after the base, 60 s, less a quarter.
    expect(message.nextAttemptAt.getTime()).toBe(queuedAt + 45_000);
    now = queuedAt + 44_999;
    await expect(retrying().runOnce()).resolves.toEqual({ sent: 0, retrying: 0, failed: 0 });

    now = queuedAt + 45_000;
    await expect(retrying().runOnce()).resolves.toEqual({ sent: 0, retrying: 1, failed: 0 });
    message = await outbox(id);
    // Then twice the base, less a quarter.
    expect(message.nextAttemptAt.getTime()).toBe(now + 90_000);
    now += 90_000;
    const deliveries: unknown[] = [];
    await expect(retrying({ onDelivery: (delivery) => deliveries.push(delivery) }).runOnce()).resolves.toEqual({
      sent: 0,
      retrying: 0,
      failed: 1,
    });
    // The metrics hear of it once it is committed.
    expect(deliveries).toEqual([{ kind: 'email', outcome: 'failed' }]);
    expect(await outbox(id)).toMatchObject({ status: 'failed', attempts: 3, lastError: expect.stringContaining('451') });
    expect(smtp.received).toHaveLength(0);
  });

  it('fails a permanent SMTP refusal at once, and a dead SMTP server is retried', async () => {
    const rejected = await sendEmail('nobody@reject.invalid');
    await expect(dispatcher().runOnce()).resolves.toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(await outbox(rejected)).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('550') });

    const queued = await sendEmail('ada@example.com');
    const deadMailer = createSmtpMailer({ url: 'smtp://127.0.0.1:9', from: 'noreply@isp.example.com', timeoutMs: 2_000 });
    await expect(dispatcher({ mailer: deadMailer }).runOnce()).resolves.toEqual({ sent: 0, retrying: 1, failed: 0 });
    deadMailer.close();
    expect(await outbox(queued)).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('leaves e-mails in the outbox without a mailer', async () => {
    const id = await sendEmail('ada@example.com');
    await expect(dispatcher({ mailer: undefined }).runOnce()).resolves.toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(await outbox(id)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('posts webhooks signed over timestamp and body, with a delivery id that stays the same across retries', async () => {
    const { webhookDeliveryIds } = (await context.call('notifications', 'notifyTeam', {
      team: 'noc',
      channel: 'webhook',
      subject: 'Link down',
      message: 'POP 1',
    })) as {
      webhookDeliveryIds: string[];
    };
    const [deliveryId] = webhookDeliveryIds;
    // The metrics: the backlog read from the database, each committed attempt counted by kind and outcome.
    const pool = new pg.Pool({ connectionString: context.database.url, max: 1 });
    const metrics = createMetrics({ logger, defaults: false, outboxBacklog: () => countOutboxBacklog(pool) });
    const metered = () => dispatcher({ onDelivery: (delivery) => metrics.outboxDelivered(delivery) });
    receiver.respondWith(503);
    await expect(metered().runOnce()).resolves.toEqual({ sent: 0, retrying: 1, failed: 0 });
    const scraped = await metrics.render().finally(() => pool.end());
    expect(scraped).toMatch(/^switchyard_outbox_pending\{kind="webhook"\} 1$/m);
    expect(scraped).toMatch(/^switchyard_outbox_deliveries_total\{kind="webhook",outcome="retrying"\} 1$/m);
    aheadMs = 61_000;
    await expect(metered().runOnce()).resolves.toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await metrics.render()).toMatch(/^switchyard_outbox_deliveries_total\{kind="webhook",outcome="sent"\} 1$/m);

    expect(receiver.received).toHaveLength(2);
    const stored = (await outbox(deliveryId!)).payload as { body: string };
    for (const request of receiver.received) {
      expect(request.path).toBe('/hooks/noc');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['switchyard-delivery']).toBe(deliveryId);
      expect(request.headers['switchyard-event']).toBe('team.notification');
      expect(request.body).toBe(stored.body);
    }
    const last = receiver.received[1]!;
    const signature = last.headers['switchyard-signature'] as string;
    const nowSeconds = Math.floor(clock().getTime() / 1000);
    expect(verifyWebhookSignature('whsec_noc', signature, last.body, { nowSeconds })).toEqual({
      valid: true,
      timestamp: expect.any(Number),
    });
    expect(verifyWebhookSignature('wrong secret', signature, last.body, { nowSeconds })).toMatchObject({ valid: false });
    expect(verifyWebhookSignature('whsec_noc', signature, `${last.body} `, { nowSeconds })).toMatchObject({ valid: false });
    expect(verifyWebhookSignature('whsec_noc', signature, last.body, { nowSeconds: nowSeconds + 3_600 })).toMatchObject({ valid: false });
    expect(JSON.parse(last.body)).toMatchObject({
      id: deliveryId,
      type: 'team.notification',
      data: { team: 'noc', subject: 'Link down', message: 'POP 1' },
    });
  });

  it('fails a webhook the receiver refuses for good, or that was switched off', async () => {
    const first = (await context.call('notifications', 'notifyTeam', { team: 'noc', channel: 'webhook', subject: 'x' })) as {
      webhookDeliveryIds: string[];
    };
    receiver.respondWith(410);
    await expect(dispatcher().runOnce()).resolves.toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(await outbox(first.webhookDeliveryIds[0]!)).toMatchObject({ status: 'failed', lastError: expect.stringContaining('410') });

    const second = (await context.call('notifications', 'notifyTeam', { team: 'gone', channel: 'webhook', subject: 'x' })) as {
      webhookDeliveryIds: string[];
    };
    await context.orm.em.fork().nativeUpdate(TeamWebhook, { team: 'gone' }, { active: false });
    await expect(dispatcher().runOnce()).resolves.toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(await outbox(second.webhookDeliveryIds[0]!)).toMatchObject({ status: 'failed', lastError: expect.stringContaining('inactive') });
    expect(receiver.received).toHaveLength(1);
  });

  it('polls when started, and stops cleanly', async () => {
    // Real timers, but each poll it schedules is seen here: stopped, it must leave none behind.
    const scheduled = new Set<{ cancel(): void }>();
    const schedule = (poll: () => void, ms: number) => {
      const timer = setTimeout(() => {
        scheduled.delete(handle);
        poll();
      }, ms);
      const handle = {
        cancel: () => {
          scheduled.delete(handle);
          clearTimeout(timer);
        },
      };
      scheduled.add(handle);
      return handle;
    };
    const polling = dispatcher({ options: { pollIntervalMs: 50 }, schedule });
    polling.start();
    try {
      const id = await sendEmail('poll@example.com');
      await eventually(
        'the e-mail sent by a poll',
        () => outbox(id),
        (message) => message.status === 'sent',
      );
    } finally {
      await polling.stop();
    }
    // Nothing scheduled and nothing in flight (stop waited for it): no poll ever comes again.
    expect(scheduled.size).toBe(0);
  });
});
