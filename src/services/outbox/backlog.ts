import type pg from 'pg';

/** Outbox messages still to deliver, by kind (pending ones only, through their partial index), for the metrics' gauge. */
export async function countOutboxBacklog(pool: pg.Pool): Promise<Array<{ kind: string; messages: number }>> {
  const { rows } = await pool.query<{ kind: string; messages: number }>(
    `select kind, count(*)::int as messages from outbox_messages where status = 'pending' group by kind`,
  );
  return rows;
}
