import { DomainEvent } from '../../../../src/entities/domain-event.entity.js';
import { Notification } from '../../../../src/entities/domain/notification.entity.js';
import { OutboxMessage } from '../../../../src/entities/domain/outbox-message.entity.js';
import { TeamWebhook } from '../../../../src/entities/domain/team-webhook.entity.js';
import { countRows, setUpOperations, type OperationsTestContext } from './support/context.js';

interface NotifyResult {
  notificationId: string | null;
  webhookDeliveryIds: string[];
  channel: string;
}

describe('notifications.notifyTeam', () => {
  let context: OperationsTestContext;
  let webhookIds: string[];

  beforeAll(async () => {
    context = await setUpOperations();
    const em = context.orm.em.fork();
    const webhooks = [
      em.create(TeamWebhook, { tenant: context.tenantId, team: 'sales', url: 'http://127.0.0.1:9/a', secret: 'whsec_a' }),
      em.create(TeamWebhook, { tenant: context.tenantId, team: 'sales', url: 'http://127.0.0.1:9/b', secret: 'whsec_b' }),
      em.create(TeamWebhook, { tenant: context.tenantId, team: 'sales', url: 'http://127.0.0.1:9/off', secret: 'whsec_c', active: false }),
    ];
    webhookIds = webhooks.slice(0, 2).map((webhook) => webhook.id);
    await em.flush();
  });
  afterAll(() => context.close());

  const params = {
    team: 'sales',
    subject: 'Order 42 paid',
    message: 'Customer Ada paid order 42',
    metadata: { orderId: 42, tags: ['vip'] },
  };

  it('creates an in-app notification and announces it as a domain event', async () => {
    const result = (await context.call('notifications_service', 'notify_team', {
      ...params,
      channel: 'in_app',
    })) as unknown as NotifyResult;
    expect(result).toEqual({ notificationId: expect.any(String), webhookDeliveryIds: [], channel: 'in_app' });
    const em = context.orm.em.fork();
    const notification = await em.findOneOrFail(Notification, { id: result.notificationId! });
    expect(notification).toMatchObject({
      team: 'sales',
      subject: 'Order 42 paid',
      message: 'Customer Ada paid order 42',
      metadata: { orderId: 42, tags: ['vip'] },
    });
    const event = await em.findOneOrFail(DomainEvent, { name: 'notification.created' });
    expect(event.payload).toEqual({ notificationId: result.notificationId, team: 'sales', subject: 'Order 42 paid' });
  });

  it('queues one signed delivery per active webhook of the team', async () => {
    const result = (await context.call('notifications', 'notifyTeam', { ...params, channel: 'webhook' })) as unknown as NotifyResult;
    expect(result.notificationId).toBeNull();
    expect(result.webhookDeliveryIds).toHaveLength(2);
    const deliveries = await context.orm.em.fork().find(OutboxMessage, { id: { $in: result.webhookDeliveryIds } });
    expect(deliveries.map((delivery) => delivery.kind)).toEqual(['webhook', 'webhook']);
    expect(deliveries.map((delivery) => (delivery.payload as { webhookId: string }).webhookId).sort()).toEqual([...webhookIds].sort());
    for (const delivery of deliveries) {
      const body = JSON.parse((delivery.payload as { body: string }).body) as Record<string, unknown>;
      expect(body).toEqual({
        id: delivery.id,
        type: 'team.notification',
        createdAt: expect.any(String),
        data: {
          team: 'sales',
          subject: 'Order 42 paid',
          message: 'Customer Ada paid order 42',
          metadata: { orderId: 42, tags: ['vip'] },
          notificationId: null,
        },
      });
    }
  });

  it('does both for channel all', async () => {
    const result = (await context.call('notifications', 'notifyTeam', { ...params, channel: 'all' })) as unknown as NotifyResult;
    expect(result.notificationId).toEqual(expect.any(String));
    expect(result.webhookDeliveryIds).toHaveLength(2);
  });

  it('is NOT_FOUND for webhooks of a team without any, VALIDATION for an unknown channel', async () => {
    await expect(context.call('notifications', 'notifyTeam', { ...params, team: 'support', channel: 'webhook' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(context.call('notifications', 'notifyTeam', { ...params, channel: 'carrier_pigeon' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    // `all` for a team without webhooks still notifies in the app.
    const result = (await context.call('notifications', 'notifyTeam', {
      ...params,
      team: 'support',
      channel: 'all',
    })) as unknown as NotifyResult;
    expect(result.webhookDeliveryIds).toEqual([]);
  });

  it('changes nothing when called again with the same idempotency key', async () => {
    const first = await context.call('notifications', 'notifyTeam', { ...params, channel: 'all' }, { key: 'exec-9:notify_sales' });
    const counts = [
      await countRows(context, 'notifications'),
      await countRows(context, 'outbox_messages'),
      await countRows(context, 'domain_events'),
    ];
    const second = await context.call('notifications', 'notifyTeam', { ...params, channel: 'all' }, { key: 'exec-9:notify_sales' });
    expect(second).toEqual(first);
    expect([
      await countRows(context, 'notifications'),
      await countRows(context, 'outbox_messages'),
      await countRows(context, 'domain_events'),
    ]).toEqual(counts);
  });
});
