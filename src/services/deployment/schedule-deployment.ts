import { z } from 'zod';
import { Deployment, DEPLOYMENT_PRIORITIES } from '../../entities/domain/deployment.entity.js';
import { Order } from '../../entities/domain/order.entity.js';
import { AppError } from '../../errors.js';
import { addDays } from '../shared/periods.js';
import { uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { defineServiceMethod } from '../registry.js';
import type { DeploymentSettings } from './deployment-settings.js';

/** A calendar day `YYYY-MM-DD`, or a date-time whose UTC day is taken. */
const scheduledDate = z.union([
  z.iso.date(),
  z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString().slice(0, 10)),
]);

const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

function scheduledResult(deployment: Deployment) {
  return {
    deploymentId: deployment.id,
    orderId: (deployment.order as NonNullable<Deployment['order']>).id,
    customerId: deployment.customer.id,
    status: deployment.status,
    priority: deployment.priority ?? 'normal',
    requestedDate: deployment.requestedFor ?? null,
    scheduledDate: deployment.scheduledFor ?? null,
  };
}

/**
 * deployment.scheduleDeployment(orderId, customerId, priority?, scheduledDate) → {deploymentId, orderId,
 *   customerId, status: 'scheduled', priority, requestedDate, scheduledDate}
 *
 * Books a deployment slot for the order: the requested day (UTC) when it has room, otherwise the next day
 * that does, within the horizon (QUOTA_EXCEEDED when every day is full). Days hold `slotsPerDay`
 * bookings; the tenant's bookings are serialised by an advisory transaction lock, so two concurrent calls
 * never squeeze into one last slot. A day before today is VALIDATION. One slot per order: scheduling a
 * scheduled order returns its booking (moving it is not this method's job). The order must be the
 * customer's (VALIDATION) and not cancelled (INVALID_STATE); an unpaid order may be booked — the slot is a
 * plan, payment is checked before anything is deployed.
 */
export function createScheduleDeploymentMethod(settings: DeploymentSettings) {
  return defineServiceMethod({
    service: 'deployment',
    method: 'scheduleDeployment',
    description: 'Books a deployment slot for an order.',
    effects: 'local',
    input: z.object({ orderId: uuid, customerId: uuid, priority: z.enum(DEPLOYMENT_PRIORITIES).default('normal'), scheduledDate }),
    async run(ctx, input) {
      const order = await findInTenantOrFail(ctx.em, Order, { id: input.orderId, tenant: ctx.tenantId }, `order ${input.orderId}`, {
        lock: true,
      });
      if (order.customer.id !== input.customerId)
        throw new AppError('VALIDATION', `order ${order.number} is not customer ${input.customerId}'s`);

      const booked = await ctx.em.findOne(Deployment, { tenant: ctx.tenantId, order: order.id });
      if (booked) return scheduledResult(booked);
      if (order.status === 'cancelled') throw new AppError('INVALID_STATE', `order ${order.number} is cancelled`);
      if (input.scheduledDate < utcDay(ctx.now)) throw new AppError('VALIDATION', `scheduledDate ${input.scheduledDate} is in the past`);

      await ctx.em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`switchyard:deployment-slots:${ctx.tenantId}`]);
      const first = new Date(`${input.scheduledDate}T00:00:00.000Z`);
      const last = utcDay(addDays(first, settings.schedulingHorizonDays));
      const load = await ctx.em.execute<{ day: string; taken: number }[]>(
        `select scheduled_for::text as day, count(*)::int as taken from "deployments"
          where tenant_id = ? and status = 'scheduled' and scheduled_for between ?::date and ?::date group by scheduled_for`,
        [ctx.tenantId, input.scheduledDate, last],
      );
      const taken = new Map(load.map((row) => [row.day, row.taken]));
      let day: string | undefined;
      for (let offset = 0; offset <= settings.schedulingHorizonDays && !day; offset += 1) {
        const candidate = utcDay(addDays(first, offset));
        if ((taken.get(candidate) ?? 0) < settings.slotsPerDay) day = candidate;
      }
      if (!day) {
        throw new AppError(
          'QUOTA_EXCEEDED',
          `no deployment slot free from ${input.scheduledDate} for ${settings.schedulingHorizonDays} days`,
        );
      }

      const deployment = ctx.em.create(Deployment, {
        tenant: ctx.tenantId,
        customer: order.customer.id,
        order,
        status: 'scheduled',
        priority: input.priority,
        requestedFor: input.scheduledDate,
        scheduledFor: day,
        createdAt: ctx.now,
      });
      await ctx.em.flush();
      return scheduledResult(deployment);
    },
  });
}
