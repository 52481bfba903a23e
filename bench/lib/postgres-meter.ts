import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';

/**
 * What PostgreSQL itself spent between two samples: the CPU time of its processes (the postmaster of the
 * database's server and its children, read from /proc per process, so a backend that comes or goes in
 * between counts for what it used; other PostgreSQL servers on the host are not counted) and the
 * transactions committed or rolled back in one database (each statement outside a transaction is one).
 * On a 2-core host the database's work per request weighs on requests/s as much as the server's own.
 */
export interface PostgresSample {
  cpuMs: number;
  transactions: number;
}

/** `postmaster`'s and its children's CPU time (ms) by process. */
async function postgresCpuByPid(postmaster: number): Promise<Map<number, number>> {
  const byPid = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    // state, ppid, …, utime (14th field of the line), stime (15th), after the command's closing parenthesis.
    const fields = stat?.slice(stat.lastIndexOf(') ') + 2).split(' ') ?? [];
    if (pid !== postmaster && Number(fields[1]) !== postmaster) continue;
    // utime and stime, in clock ticks (100 per second on Linux).
    byPid.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
  }
  return byPid;
}

/** The server's postmaster: the parent of this connection's backend (the server must run on this host). */
async function postmasterOf(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  const stat = await readFile(`/proc/${rows[0]?.pid ?? 0}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[1]);
}

/** Each call: what PostgreSQL used since the previous call (the first: since its processes started). */
export function postgresMeter(databaseUrl: string): { sample(): Promise<PostgresSample>; close(): Promise<void> } {
  const client = new pg.Client({ connectionString: databaseUrl });
  const postmaster = client.connect().then(() => postmasterOf(client));
  let lastCpu = new Map<number, number>();
  let lastTransactions = 0;
  return {
    async sample() {
      const server = await postmaster;
      // Counters reach pg_stat_database when a backend reports them (at most a second late): ask for a fresh read.
      await client.query('select pg_stat_clear_snapshot()');
      const { rows } = await client.query<{ transactions: string }>(
        'select xact_commit + xact_rollback as transactions from pg_stat_database where datname = current_database()',
      );
      const transactions = Number(rows[0]?.transactions ?? 0);
      const cpu = await postgresCpuByPid(server);
      let cpuMs = 0;
      for (const [pid, used] of cpu) cpuMs += used - (lastCpu.get(pid) ?? 0);
      const sample = { cpuMs, transactions: transactions - lastTransactions };
      lastCpu = cpu;
      lastTransactions = transactions;
      return sample;
    },
    async close() {
      await client.end();
    },
  };
}
