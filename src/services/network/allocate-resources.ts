import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { withoutUndefined } from '../../entities/entity-data.js';
import { Customer } from '../../entities/customer.entity.js';
import { IpAllocation } from '../../entities/domain/ip-allocation.entity.js';
import { IpPool } from '../../entities/domain/ip-pool.entity.js';
import { ServiceInstance } from '../../entities/domain/service-instance.entity.js';
import { VlanAllocation } from '../../entities/domain/vlan-allocation.entity.js';
import { VlanRange } from '../../entities/domain/vlan-range.entity.js';
import { Tenant } from '../../entities/tenant.entity.js';
import { AppError } from '../../errors.js';
import { UNIQUE_VIOLATION, sqlState } from '../shared/sql-state.js';
import { defineServiceMethod, type ServiceCallContext } from '../registry.js';
import type { IpamAddress, IpamPort } from './ipam-port.js';
import { lockLocationRows, nextFreeVlan } from './vlans.js';

const input = z.object({
  customerId: z.guid(),
  /** The point of presence (`ip_pools.location`, `vlan_ranges.location`), e.g. the site survey's serviceLocation. */
  serviceLocation: z.string().trim().min(1),
  bandwidthPlan: z.string().trim().min(1),
});

export interface AllocatedResources {
  [key: string]: string | number;
  serviceId: string;
  ipAddress: string;
  vlanId: number;
  username: string;
  location: string;
  status: string;
}

export function resultOf(service: ServiceInstance): AllocatedResources {
  return {
    serviceId: service.id,
    ipAddress: service.ipAddress,
    vlanId: service.vlanId,
    username: service.username,
    location: service.location,
    status: service.status,
  };
}

/**
 * A service instance (`provisioning`) with the location's next free IPv4 address and VLAN id. Allocators
 * at one location take turns on the row locks of its pools and VLAN ranges (always in the same order,
 * so they cannot deadlock), which is what makes "never the same address twice" hold across concurrent
 * transactions; partial unique indexes on live allocations back it up. The call's idempotency key is
 * stored on the instance: with an outside IPAM (an external effect, run outside the registry's
 * idempotency records) a retry returns the first result — until the instance is released, which retires
 * the key (the NetBox address, found by a marker of the key, is deleted by the release too).
 */
export function createAllocateResources(ipam: IpamPort) {
  return defineServiceMethod({
    service: 'network',
    method: 'allocateResources',
    description:
      'Allocates an IPv4 address and a VLAN at the service location and creates the service instance. Returns {serviceId, ipAddress, vlanId, username}.',
    effects: ipam.effects,
    input,
    output: z.looseObject({
      serviceId: z.uuid(),
      ipAddress: z.ipv4(),
      vlanId: z.int().min(1).max(4094),
      username: z.string().min(1),
      location: z.string(),
      status: z.string(),
    }),
    async run(ctx, params) {
      const allocate = (em: EntityManager) => allocateIn(em, ctx, ipam, params);
      return ipam.effects === 'local' ? allocate(ctx.em) : ctx.em.transactional(allocate);
    },
  });
}

async function allocateIn(
  em: EntityManager,
  ctx: ServiceCallContext,
  ipam: IpamPort,
  { customerId, serviceLocation, bandwidthPlan }: z.infer<typeof input>,
): Promise<AllocatedResources> {
  // A released instance was undone (releaseResources, the compensation): the same call allocates afresh.
  const previous = await em.findOne(ServiceInstance, {
    tenant: ctx.tenantId,
    idempotencyKey: ctx.idempotencyKey,
    status: { $ne: 'released' },
  });
  if (previous) return resultOf(previous);
  const customer = await em.findOne(Customer, { id: customerId, tenant: ctx.tenantId });
  if (!customer) throw new AppError('NOT_FOUND', `customer ${customerId} not found`);

  const poolIds = await lockLocationRows(em, 'ip_pools', ctx.tenantId, serviceLocation);
  if (poolIds.length === 0) throw new AppError('NOT_FOUND', `no IP pool at location ${serviceLocation}`);
  const rangeIds = await lockLocationRows(em, 'vlan_ranges', ctx.tenantId, serviceLocation);
  if (rangeIds.length === 0) throw new AppError('NOT_FOUND', `no VLAN range at location ${serviceLocation}`);

  // VLANs first: they are ours alone, so running out of them never leaves an address taken in an outside IPAM.
  let vlan: { rangeId: string; vlanId: number } | undefined;
  for (const rangeId of rangeIds) {
    const vlanId = await nextFreeVlan(em, rangeId);
    if (vlanId !== undefined) {
      vlan = { rangeId, vlanId };
      break;
    }
  }
  if (!vlan) throw new AppError('POOL_EXHAUSTED', `no free VLAN id left at location ${serviceLocation}`);

  const serviceId = randomUUID();
  const ipamContext = { em, tenantId: ctx.tenantId, idempotencyKey: ctx.idempotencyKey, signal: ctx.signal };
  let ip: { pool: IpPool; address: IpamAddress } | undefined;
  for (const poolId of poolIds) {
    const pool = await em.findOneOrFail(IpPool, { id: poolId, tenant: ctx.tenantId });
    const address = await ipam.allocate(ipamContext, pool, `service ${serviceId} of customer ${customerId}`);
    if (address) {
      ip = { pool, address };
      break;
    }
  }
  if (!ip) throw new AppError('POOL_EXHAUSTED', `no free IPv4 address left at location ${serviceLocation}`);

  const tenant = em.getReference(Tenant, ctx.tenantId);
  const service = em.create(ServiceInstance, {
    id: serviceId,
    tenant,
    customer,
    location: serviceLocation,
    bandwidthPlan,
    ipAddress: ip.address.address,
    vlanId: vlan.vlanId,
    username: `svc-${serviceId.replace(/-/g, '').slice(0, 16)}`,
    idempotencyKey: ctx.idempotencyKey,
    createdAt: ctx.now,
  });
  em.create(
    IpAllocation,
    withoutUndefined({
      tenant,
      pool: ip.pool,
      address: ip.address.address,
      externalId: ip.address.externalId,
      serviceInstance: service,
      allocatedAt: ctx.now,
    }),
  );
  em.create(VlanAllocation, {
    tenant,
    range: em.getReference(VlanRange, vlan.rangeId),
    vlanId: vlan.vlanId,
    serviceInstance: service,
    allocatedAt: ctx.now,
  });
  try {
    await em.flush();
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION) {
      throw new AppError('CONFLICT', `allocation at ${serviceLocation} collided with a concurrent one; retry`, {
        cause: error,
        retryable: true,
      });
    }
    throw error;
  }
  return resultOf(service);
}
