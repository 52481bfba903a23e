import type { EntityManager } from '@mikro-orm/postgresql';
import type { IpAllocation } from '../../entities/domain/ip-allocation.entity.js';
import type { IpPool } from '../../entities/domain/ip-pool.entity.js';

export interface IpamContext {
  /** In the allocation's transaction. */
  readonly em: EntityManager;
  readonly tenantId: string;
  /** Names the allocation in an IPAM outside, so a retried call finds the address it already got. */
  readonly idempotencyKey: string;
  readonly signal: AbortSignal;
}

export interface IpamAddress {
  /** Dotted quad, no prefix length. */
  readonly address: string;
  /** The IPAM's own id for it, when the IPAM is outside (to release it there). */
  readonly externalId?: string;
}

/**
 * Where service addresses come from. The built-in IPAM is our own tables (`ip_pools`, `ip_allocations`)
 * and works inside the caller's transaction; NetBox is reached over HTTP, which makes allocating an
 * external effect (`effects: 'external'`).
 */
export interface IpamPort {
  readonly name: string;
  readonly effects: 'local' | 'external';
  /** An address of `pool` no live allocation holds, or undefined when none is left. The caller holds the pool's row lock. */
  allocate(ctx: IpamContext, pool: IpPool, description: string): Promise<IpamAddress | undefined>;
  /** Gives an address back to the IPAM; releasing one it no longer knows is not an error. */
  release(ctx: IpamContext, allocation: IpAllocation): Promise<void>;
}
