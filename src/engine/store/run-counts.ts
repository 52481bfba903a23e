import type pg from 'pg';
import { sqlList, UNFINISHED_EXECUTION_STATUSES } from '../../entities/statuses.js';

/**
 * Runs not yet ended, by status: counted over the live rows only (`status` is indexed, and ended runs,
 * the great majority, are never visited). For the metrics' gauges, which read it at most every 10 s.
 */
export async function countLiveRuns(pool: pg.Pool): Promise<Array<{ status: string; runs: number }>> {
  const { rows } = await pool.query<{ status: string; runs: number }>(
    `select status, count(*)::int as runs from executions where status in ${sqlList(UNFINISHED_EXECUTION_STATUSES)} group by status`,
  );
  return rows;
}
