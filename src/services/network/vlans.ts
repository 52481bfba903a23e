import type { EntityManager } from '@mikro-orm/postgresql';

/** The lowest id of the range that no live allocation holds; the caller holds the range's row lock. */
export async function nextFreeVlan(em: EntityManager, rangeId: string): Promise<number | undefined> {
  const rows = await em.execute<{ vlan_id: number }[]>(
    `select v.vlan_id
     from vlan_ranges r
     cross join lateral generate_series(r.first_vlan, r.last_vlan) as v(vlan_id)
     where r.id = ?
       and not exists (
         select 1 from vlan_allocations a
         where a.range_id = r.id and a.vlan_id = v.vlan_id and a.released_at is null)
     order by v.vlan_id
     limit 1`,
    [rangeId],
  );
  return rows[0]?.vlan_id;
}

/** Row-locks, in one fixed order, the rows of `table` at a location: allocators there take turns. */
export async function lockLocationRows(
  em: EntityManager,
  table: 'ip_pools' | 'vlan_ranges',
  tenantId: string,
  location: string,
): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from ${table} where tenant_id = ? and location = ? order by name, id for update`,
    [tenantId, location],
  );
  return rows.map((row) => row.id);
}
