import type pg from 'pg';
import { RUNNABLE_EXECUTION_STATUSES, sqlList, UNFINISHED_EXECUTION_STATUSES } from '../../entities/statuses.js';

/** Live runs of one status, and how many of them are ready: runnable, due and claimed by no worker (CLAIM's queue). */
export interface LiveRunCount {
  status: string;
  runs: number;
  ready: number;
}

/**
 * Runs not yet ended, by status: counted over the live rows only (`status` is indexed, and ended runs,
 * the great majority, are never visited); the ready ones are counted in the same pass. For the metrics'
 * gauges, which read it at most every 10 s.
 */
export async function countLiveRuns(pool: pg.Pool): Promise<LiveRunCount[]> {
  const { rows } = await pool.query<LiveRunCount>(
    `select status, count(*)::int as runs,
            (count(*) filter (where status in ${sqlList(RUNNABLE_EXECUTION_STATUSES)} and lease_owner is null and wake_at <= now()))::int as ready
     from executions where status in ${sqlList(UNFINISHED_EXECUTION_STATUSES)} group by status`,
  );
  return rows;
}
