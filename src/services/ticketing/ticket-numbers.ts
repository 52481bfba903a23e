import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The tenant's next ticket number. The upsert row-locks the tenant's counter until the transaction ends:
 * concurrent callers queue behind it and each gets the next number; a rollback gives its number back.
 */
export async function nextTicketNumber(em: EntityManager, tenantId: string): Promise<number> {
  const rows = await em.execute<{ last_number: number }[]>(
    `insert into ticket_counters (tenant_id, last_number) values (?, 1)
     on conflict (tenant_id) do update set last_number = ticket_counters.last_number + 1
     returning last_number`,
    [tenantId],
  );
  const number = rows[0]?.last_number;
  if (typeof number !== 'number') throw new Error('ticket counter upsert returned no number');
  return number;
}
