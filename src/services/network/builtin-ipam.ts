import type { IpamPort } from './ipam-port.js';

/**
 * The lowest assignable address of the pool that no live allocation holds. Assignable: inside the prefix,
 * within [range_start, range_end] (default: after the network address up to before the broadcast
 * address), not the gateway. Correct under concurrency because the caller holds the pool's row lock
 * (allocators of one pool take turns, and under READ COMMITTED each statement sees the turns before it);
 * the partial unique index on live allocations backs that up.
 */
const NEXT_FREE_ADDRESS = `
  select host(c.address) as address
  from ip_pools p
  cross join lateral (
    select coalesce(p.range_start, network(p.cidr) + 1) as first_address,
           coalesce(p.range_end, broadcast(p.cidr) - 1) as last_address
  ) r
  cross join lateral generate_series(0::bigint, r.last_address - r.first_address) as n
  cross join lateral (select set_masklen(r.first_address + n, 32) as address) c
  where p.id = ?
    and c.address <<= p.cidr
    and c.address <> set_masklen(network(p.cidr), 32)
    and c.address <> set_masklen(broadcast(p.cidr), 32)
    and (p.gateway is null or c.address <> set_masklen(p.gateway, 32))
    and not exists (
      select 1 from ip_allocations a
      where a.pool_id = p.id and a.address = c.address and a.released_at is null)
  order by n
  limit 1`;

export function createBuiltinIpam(): IpamPort {
  return {
    name: 'builtin',
    effects: 'local',
    async allocate(ctx, pool) {
      const rows = await ctx.em.execute<{ address: string }[]>(NEXT_FREE_ADDRESS, [pool.id]);
      const address = rows[0]?.address;
      return address ? { address } : undefined;
    },
    async release() {
      // The allocation row, marked released by the caller, is all there is.
    },
  };
}
