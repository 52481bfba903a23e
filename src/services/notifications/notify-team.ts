import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Notification } from '../../entities/domain/notification.entity.js';
import { OutboxMessage } from '../../entities/domain/outbox-message.entity.js';
import { TeamWebhook } from '../../entities/domain/team-webhook.entity.js';
import type { JsonObject, JsonValue } from '../../entities/json.js';
import { Tenant } from '../../entities/tenant.entity.js';
import { AppError } from '../../errors.js';
import { recordDomainEvent } from '../domain-events.js';
import { defineServiceMethod } from '../registry.js';
import { traceContext } from '../../observability/tracing/trace-context.js';

export const NOTIFICATION_CHANNELS = ['in_app', 'webhook', 'all'] as const;
export const TEAM_NOTIFICATION_EVENT = 'team.notification';

const jsonObject = z.record(z.string(), z.json()) as z.ZodType<JsonObject>;

const input = z.object({
  team: z.string().trim().min(1),
  channel: z.enum(NOTIFICATION_CHANNELS).default('in_app'),
  subject: z.string().trim().min(1),
  message: z.string().default(''),
  metadata: jsonObject.default({}),
});

/**
 * Tells a team: an in-app notification (`in_app`; announced as the domain event `notification.created`
 * so live subscribers hear of it), signed deliveries to the team's webhooks through the outbox
 * (`webhook`), or both (`all`). Asking for webhooks of a team that has none is NOT_FOUND.
 */
export const notifyTeam = defineServiceMethod({
  service: 'notifications',
  method: 'notifyTeam',
  description: 'Notifies a team in the app and/or over its signed webhooks. Returns {notificationId, webhookDeliveryIds, channel}.',
  effects: 'local',
  input,
  async run(ctx, { team, channel, subject, message, metadata }) {
    const tenant = ctx.em.getReference(Tenant, ctx.tenantId);
    let notificationId: string | null = null;
    if (channel !== 'webhook') {
      const notification = ctx.em.create(Notification, { tenant, team, subject, message, metadata, createdAt: ctx.now });
      notificationId = notification.id;
      recordDomainEvent(ctx.em, {
        tenantId: ctx.tenantId,
        name: 'notification.created',
        payload: { notificationId, team, subject },
        source: 'service:notifications.notifyTeam',
      });
    }

    const webhookDeliveryIds: JsonValue[] = [];
    if (channel !== 'in_app') {
      const webhooks = await ctx.em.find(TeamWebhook, { tenant: ctx.tenantId, team, active: true }, { orderBy: { createdAt: 'asc' } });
      if (webhooks.length === 0 && channel === 'webhook') throw new AppError('NOT_FOUND', `team ${team} has no active webhook`);
      // Traced: each delivery joins this call's trace, however late the outbox sends it.
      const traced = traceContext();
      for (const webhook of webhooks) {
        const deliveryId = randomUUID();
        // The body names its delivery, so a receiver that keeps bodies can dedupe on them too.
        const body = JSON.stringify({
          id: deliveryId,
          type: TEAM_NOTIFICATION_EVENT,
          createdAt: ctx.now.toISOString(),
          data: { team, subject, message, metadata, notificationId },
        });
        const delivery = ctx.em.create(OutboxMessage, {
          id: deliveryId,
          tenant,
          kind: 'webhook',
          payload: { webhookId: webhook.id, event: TEAM_NOTIFICATION_EVENT, body, ...traced },
          nextAttemptAt: ctx.now,
        });
        webhookDeliveryIds.push(delivery.id);
      }
    }
    await ctx.em.flush();
    return { notificationId, webhookDeliveryIds, channel };
  },
});
