import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { IpAllocation } from '../../entities/domain/ip-allocation.entity.js';
import { ServiceInstance } from '../../entities/domain/service-instance.entity.js';
import { VlanAllocation } from '../../entities/domain/vlan-allocation.entity.js';
import { AppError } from '../../errors.js';
import { defineServiceMethod, type ServiceCallContext } from '../registry.js';
import type { IpamPort } from './ipam-port.js';

const input = z.object({ serviceId: z.guid() });

/**
 * Compensation of allocateResources: frees the address (in the outside IPAM too) and the VLAN, and marks
 * the instance `released`. Releasing a released instance returns the same answer; an `active` service is
 * live for a paying customer and is refused (INVALID_STATE).
 */
export function createReleaseResources(ipam: IpamPort) {
  return defineServiceMethod({
    service: 'network',
    method: 'releaseResources',
    description:
      'Frees the IP address and VLAN of a service instance that is not active and marks it released (idempotent). Returns {serviceId, status, releasedAt}.',
    effects: ipam.effects,
    input,
    async run(ctx, { serviceId }) {
      const release = (em: EntityManager) => releaseIn(em, ctx, ipam, serviceId);
      return ipam.effects === 'local' ? release(ctx.em) : ctx.em.transactional(release);
    },
  });
}

async function releaseIn(em: EntityManager, ctx: ServiceCallContext, ipam: IpamPort, serviceId: string) {
  const service = await em.findOne(ServiceInstance, { id: serviceId, tenant: ctx.tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!service) throw new AppError('NOT_FOUND', `service instance ${serviceId} not found`);
  if (service.status === 'active')
    throw new AppError('INVALID_STATE', `service ${serviceId} is active; suspend it before releasing its resources`);
  if (service.status !== 'released') {
    const ipamContext = { em, tenantId: ctx.tenantId, idempotencyKey: ctx.idempotencyKey, signal: ctx.signal };
    for (const allocation of await em.find(IpAllocation, { serviceInstance: service, releasedAt: null })) {
      await ipam.release(ipamContext, allocation);
      allocation.releasedAt = ctx.now;
    }
    for (const allocation of await em.find(VlanAllocation, { serviceInstance: service, releasedAt: null })) {
      allocation.releasedAt = ctx.now;
    }
    service.status = 'released';
    service.releasedAt = ctx.now;
    await em.flush();
  }
  return {
    serviceId: service.id,
    status: service.status,
    releasedAt: (service.releasedAt ?? ctx.now).toISOString(),
    ipAddress: service.ipAddress,
    vlanId: service.vlanId,
  };
}
