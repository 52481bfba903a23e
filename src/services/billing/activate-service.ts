import { LockMode } from '@mikro-orm/core';
import { z } from 'zod';
import { ServiceInstance } from '../../entities/domain/service-instance.entity.js';
import { AppError } from '../../errors.js';
import { recordDomainEvent } from '../domain-events.js';
import { defineServiceMethod } from '../registry.js';

const input = z.object({ customerId: z.guid(), serviceId: z.guid() });

/**
 * `provisioning` → `active`; billing starts at that instant (announced as `service.activated` for
 * billing to pick up). Activating an active service returns the first activation's answer.
 */
export const activateService = defineServiceMethod({
  service: 'billing',
  method: 'activateService',
  description:
    'Activates a provisioned service instance; billing starts at activation. Returns {serviceId, customerId, status, activatedAt, billingStartsAt}.',
  effects: 'local',
  input,
  async run(ctx, { customerId, serviceId }) {
    const service = await ctx.em.findOne(
      ServiceInstance,
      { id: serviceId, tenant: ctx.tenantId, customer: customerId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!service) throw new AppError('NOT_FOUND', `customer ${customerId} has no service instance ${serviceId}`);
    if (service.status === 'provisioning') {
      service.status = 'active';
      service.activatedAt = ctx.now;
      service.billingStartsAt = ctx.now;
      recordDomainEvent(ctx.em, {
        tenantId: ctx.tenantId,
        name: 'service.activated',
        payload: { serviceId, customerId, bandwidthPlan: service.bandwidthPlan, activatedAt: ctx.now.toISOString() },
        source: 'service:billing.activateService',
      });
      await ctx.em.flush();
    } else if (service.status !== 'active') {
      throw new AppError('INVALID_STATE', `service ${serviceId} is ${service.status}, not provisioning`);
    }
    return {
      serviceId,
      customerId,
      status: service.status,
      activatedAt: (service.activatedAt ?? ctx.now).toISOString(),
      billingStartsAt: (service.billingStartsAt ?? ctx.now).toISOString(),
    };
  },
});
