import { readdir, readFile } from 'node:fs/promises';
import type pg from 'pg';
import { coerceError } from '../../src/errors.js';
import { machineBusyMs, processCpuMs } from '../lib/process-cpu.js';

/**
 * What the coordinator watches during a measured window, from outside the processes: CPU time of
 * each process and of the whole machine (/proc), PostgreSQL's time per statement (pg_stat_statements)
 * and what its backends are waiting on (pg_stat_activity, sampled).
 */

const TICKS_PER_SECOND = 100;

/** A process that ended between listing and reading (its time is then in its parent's cutime). */
function gone<T>(value: T): (error: unknown) => T {
  return (error) => {
    const code = (coerceError(error) as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES') return value;
    throw coerceError(error);
  };
}

/** The fields after the command name in /proc/<pid>/stat: [0] state, [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime. */
async function statFields(pid: number): Promise<string[] | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(gone(undefined));
  return stat?.split(') ')[1]?.split(' ');
}

/**
 * The server's CPU: the postmaster's own and its reaped backends' (cutime, cstime), plus its live
 * children's. A backend that ends between two readings moves from the second term to the first.
 */
async function postgresCpuMs(postmaster: number): Promise<number> {
  const own = await statFields(postmaster);
  if (!own) return Number.NaN;
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = await statFields(Number(entry));
    if (fields && Number(fields[1]) === postmaster) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** A process by its command line (redis-server retitles itself `redis-server 127.0.0.1:<port>`). */
export async function findPid(match: (cmdline: string) => boolean): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(gone(''));
    if (match(cmdline.replaceAll('\0', ' '))) return Number(entry);
  }
  return undefined;
}

export interface CpuGroups {
  workers: number[];
  apis: number[];
  postgres?: number | undefined;
  redis?: number | undefined;
}

/** CPU ms per group over the window, and the machine's busy cores. */
export interface CpuUse {
  workersMs: number;
  /** Each worker process's share of workersMs, in the order of CpuGroups.workers. */
  perWorkerMs: number[];
  apisMs: number;
  postgresMs: number;
  redisMs: number;
  coordinatorMs: number;
  machineBusyCores: number;
  /** Busy cores not explained by our processes: the other engineers' load on this shared machine. */
  otherCores: number;
}

export function cpuWindow(groups: CpuGroups): { end(): Promise<CpuUse> } {
  // The machine and the clock first and together: the rest reads /proc at length.
  const read = async () => ({
    at: performance.now(),
    machine: machineBusyMs(),
    workers: await Promise.all(groups.workers.map((pid) => processCpuMs(pid).catch(gone(Number.NaN)))),
    apis: await Promise.all(groups.apis.map((pid) => processCpuMs(pid).catch(gone(Number.NaN)))),
    postgres: groups.postgres ? await postgresCpuMs(groups.postgres) : Number.NaN,
    redis: groups.redis ? await processCpuMs(groups.redis).catch(gone(Number.NaN)) : Number.NaN,
    coordinator: ((usage) => (usage.user + usage.system) / 1000)(process.cpuUsage()),
  });
  const first = read();
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  return {
    async end() {
      const [a, b] = [await first, await read()];
      const seconds = (b.at - a.at) / 1000;
      const use = {
        workersMs: sum(b.workers) - sum(a.workers),
        perWorkerMs: b.workers.map((ms, index) => ms - (a.workers[index] ?? Number.NaN)),
        apisMs: sum(b.apis) - sum(a.apis),
        postgresMs: b.postgres - a.postgres,
        redisMs: b.redis - a.redis,
        coordinatorMs: b.coordinator - a.coordinator,
      };
      const ours =
        use.workersMs +
        use.apisMs +
        (Number.isNaN(use.postgresMs) ? 0 : use.postgresMs) +
        (Number.isNaN(use.redisMs) ? 0 : use.redisMs) +
        use.coordinatorMs;
      const machine = b.machine - a.machine;
      return { ...use, machineBusyCores: machine / 1000 / seconds, otherCores: Math.max(0, machine - ours) / 1000 / seconds };
    },
  };
}

export interface StatementUse {
  /** Statement execution time, summed over every statement in the scenario's database. */
  totalMs: number;
  calls: number;
  top: Array<{ query: string; calls: number; meanMs: number; totalMs: number }>;
}

/** pg_stat_statements over the window, for one database (the reset is server-wide: one scenario at a time). */
export async function statementsWindow(admin: pg.Pool, database: string): Promise<{ end(): Promise<StatementUse> }> {
  await admin.query('select pg_stat_statements_reset()');
  return {
    async end() {
      const { rows } = await admin.query<{ query: string; calls: string; total: number; mean: number }>(
        `select query, calls, total_exec_time as total, mean_exec_time as mean from pg_stat_statements
         where dbid = (select oid from pg_database where datname = $1) order by total_exec_time desc`,
        [database],
      );
      const shorten = (query: string) => query.replace(/\s+/g, ' ').trim().slice(0, 90);
      return {
        totalMs: rows.reduce((total, row) => total + row.total, 0),
        calls: rows.reduce((total, row) => total + Number(row.calls), 0),
        top: rows
          .slice(0, 12)
          .map((row) => ({ query: shorten(row.query), calls: Number(row.calls), meanMs: row.mean, totalMs: row.total })),
      };
    },
  };
}

/**
 * Counts by key, sampled every `everyMs` until `end`, averaged over the samples (a key absent from a
 * sample counts 0 there).
 */
function averagedSampler(read: () => Promise<Array<{ key: string; n: number }>>, everyMs: number): { end(): Promise<Map<string, number>> } {
  const totals = new Map<string, number>();
  let samples = 0;
  let sampling = Promise.resolve();
  const sample = async () => {
    try {
      const rows = await read();
      samples += 1;
      for (const row of rows) totals.set(row.key, (totals.get(row.key) ?? 0) + row.n);
    } catch (error) {
      // A missed sample only thins the average.
      void coerceError(error);
    }
  };
  const timer = setInterval(() => (sampling = sampling.then(sample)), everyMs);
  return {
    async end() {
      clearInterval(timer);
      await sampling;
      return new Map([...totals].map(([key, total]) => [key, total / Math.max(1, samples)]));
    },
  };
}

/** The backends of one database by what they are doing, averaged over samples: where time queues. */
export function waitSampler(
  admin: pg.Pool,
  database: string,
  everyMs = 250,
): { end(): Promise<Array<{ state: string; backends: number }>> } {
  const sampler = averagedSampler(async () => {
    const { rows } = await admin.query<{ key: string; n: number }>(
      `select case when state = 'active' then coalesce(wait_event_type || ':' || wait_event, 'on CPU') else state end as key, count(*)::int as n
       from pg_stat_activity where datname = $1 and backend_type = 'client backend' and state <> 'idle' and pid <> pg_backend_pid()
       group by 1`,
      [database],
    );
    return rows;
  }, everyMs);
  return {
    async end() {
      return [...(await sampler.end())]
        .map(([state, backends]) => ({ state, backends }))
        .sort((a, b) => b.backends - a.backends)
        .slice(0, 6);
    },
  };
}

/**
 * Runs each worker held (leased), averaged over samples, busiest first: how the work spread over the
 * workers — a share that survives a loaded machine, unlike a rate. `db`: the scenario's database.
 */
export function holdingSampler(db: pg.Pool, everyMs = 250): { end(): Promise<number[]> } {
  const sampler = averagedSampler(async () => {
    // A leased run is running: by the status index, the sampler reads the runs in flight, not the whole
    // table four times a second (the measured system pays for what the benchmark reads).
    const { rows } = await db.query<{ key: string; n: number }>(
      "select lease_owner as key, count(*)::int as n from executions where status = 'running' and lease_owner is not null group by 1",
    );
    return rows;
  }, everyMs);
  return {
    async end() {
      return [...(await sampler.end()).values()].sort((a, b) => b - a);
    },
  };
}
