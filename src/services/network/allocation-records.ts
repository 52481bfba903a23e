import type { EntityManager } from '@mikro-orm/postgresql';
import { IpAllocation } from '../../entities/domain/ip-allocation.entity.js';
import { ServiceInstance } from '../../entities/domain/service-instance.entity.js';
import { VlanAllocation } from '../../entities/domain/vlan-allocation.entity.js';
import { pageSize, parseInput } from '../shared/parse-input.js';
import { uuid } from '../shared/schemas.js';

export interface AllocationView {
  /** The service instance holding the address and VLAN. */
  serviceId: string;
  customerId: string;
  location: string;
  bandwidthPlan: string;
  /** provisioning, active, suspended, released */
  serviceStatus: string;
  username: string;
  ipAddress: string;
  ipPoolId: string | null;
  vlanId: number;
  vlanRangeId: string | null;
  allocatedAt: Date;
  /** When the address and VLAN went back to their pools (the instance was released). */
  releasedAt: Date | null;
  activatedAt: Date | null;
}

/** The addresses and VLANs handed to service instances, newest first, released ones included. */
export async function listAllocations(
  em: EntityManager,
  tenantId: string,
  filter: { customerId?: string | null; first?: number | null },
): Promise<AllocationView[]> {
  const customer = filter.customerId ? { customer: parseInput(uuid, filter.customerId, 'customerId') } : {};
  const services = await em.find(
    ServiceInstance,
    { tenant: tenantId, ...customer },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize(filter.first) },
  );
  if (services.length === 0) return [];
  const ids = services.map((service) => service.id);
  const ips = await em.find(IpAllocation, { tenant: tenantId, serviceInstance: { $in: ids } }, { orderBy: { allocatedAt: 'asc' } });
  const vlans = await em.find(VlanAllocation, { tenant: tenantId, serviceInstance: { $in: ids } }, { orderBy: { allocatedAt: 'asc' } });
  const ipOf = new Map(ips.map((ip) => [ip.serviceInstance.id, ip]));
  const vlanOf = new Map(vlans.map((vlan) => [vlan.serviceInstance.id, vlan]));
  return services.map((service) => {
    const ip = ipOf.get(service.id);
    const vlan = vlanOf.get(service.id);
    return {
      serviceId: service.id,
      customerId: service.customer.id,
      location: service.location,
      bandwidthPlan: service.bandwidthPlan,
      serviceStatus: service.status,
      username: service.username,
      ipAddress: service.ipAddress,
      ipPoolId: ip?.pool.id ?? null,
      vlanId: service.vlanId,
      vlanRangeId: vlan?.range.id ?? null,
      allocatedAt: ip?.allocatedAt ?? service.createdAt,
      releasedAt: ip?.releasedAt ?? vlan?.releasedAt ?? service.releasedAt ?? null,
      activatedAt: service.activatedAt ?? null,
    };
  });
}
