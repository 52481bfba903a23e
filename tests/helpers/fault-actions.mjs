// The faults of issue 10, each done to a running fault cluster (fault-cluster.mjs) and measured. Each
// leaves the cluster as a supervisor would: a process we stop is replaced; a fault's duration is a
// parameter of the fault, not a wait for anything.
import { sleep, waitFor, withTimeout } from './fault-cluster.mjs';

const FINAL = `('completed', 'failed', 'cancelled')`;
/** A lease taken this soon after SIGTERM may have been on its way before the process heard the signal. */
const INTAKE_GRACE_MS = 250;

/** Leases held by process `pid` now, as `id:epoch` (each takeover raises the epoch), by the pid in the lease owner (`<host>:<pid>:<random>`). */
export async function leasesOfPid(cluster, pid) {
  const { rows } = await cluster.query(
    `select id, lease_epoch from executions where lease_owner like '%:' || $1::text || ':%' and status not in ${FINAL}`,
    [String(pid)],
  );
  return rows.map((row) => `${row.id}:${row.lease_epoch}`);
}

const leasesOf = (cluster, name) => leasesOfPid(cluster, cluster.pid(name));

async function leasedTo(cluster, name) {
  return (await leasesOf(cluster, name)).map((lease) => lease.split(':')[0]);
}

/** The worker holding runs now (waits, bounded, until one holds at least `min`): killing an idle one proves nothing. */
async function busyWorker(cluster, min = 2) {
  return waitFor(
    async () => {
      const counts = await Promise.all(
        cluster
          .names('worker')
          .filter(cluster.alive)
          .map(async (name) => ({ name, held: await leasedTo(cluster, name) })),
      );
      const best = counts.sort((a, b) => b.held.length - a.held.length)[0];
      return best && best.held.length >= min ? best : undefined;
    },
    { timeoutMs: 20_000, what: `a worker holding ${min} runs`, intervalMs: 50 },
  );
}

export const FAULTS = {
  /** Redis stopped for `redisDownMs`, then started again on the same port. */
  async redis(cluster, { redisDownMs = 4_000 } = {}) {
    await cluster.redis.stop();
    await sleep(redisDownMs);
    await cluster.redis.start();
    return { downMs: redisDownMs };
  },

  /** `pg_ctl restart -m fast`: every connection is closed, the server is down for a moment. */
  async postgres(cluster) {
    const started = Date.now();
    await cluster.postgres.restart();
    return { downMs: Date.now() - started };
  },

  /** pg_terminate_backend on every connection of every worker, `times` times, `gapMs` apart. */
  async terminate(cluster, { times = 2, gapMs = 1_000 } = {}) {
    const terminated = [];
    for (let i = 0; i < times; i += 1) {
      if (i > 0) await sleep(gapMs);
      terminated.push(await cluster.terminateBackends(cluster.names('worker').filter(cluster.alive)));
    }
    return { terminated };
  },

  /**
   * SIGTERM to the busiest worker. Measures: its exit (code, time), leases it took after the signal
   * (intake while draining), and how long after its exit the runs it held were carried on elsewhere
   * (leased by another worker, an event written after the exit, or completed). Then a replacement starts.
   */
  async sigterm(cluster) {
    const { name } = await busyWorker(cluster);
    const pid = cluster.pid(name);
    // Leases it holds when signalled, or takes before it has heard the signal (its handler prints that it
    // has) or in the first INTAKE_GRACE_MS after (a claim already sent); any other lease of its afterwards (a
    // new run, a parked run resumed) is intake. Counted from the process's own word, not from the kill: on a
    // loaded machine a process may run its handler long after the signal was sent.
    const before = new Set(await leasesOf(cluster, name));
    const intake = new Set();
    let heardAt;
    void cluster.outputSeen(name, /SIGTERM received/).then((at) => (heardAt = at));
    const signalledAt = Date.now();
    const exited = cluster.kill(name, 'SIGTERM');
    let exit;
    void exited.then((value) => (exit = value));
    while (!exit && Date.now() - signalledAt < (cluster.graceSeconds + 15) * 1000) {
      const early = heardAt === undefined || Date.now() - heardAt < INTAKE_GRACE_MS;
      for (const lease of await leasesOf(cluster, name).catch(() => [])) if (!before.has(lease)) (early ? before : intake).add(lease);
      await Promise.race([exited, sleep(50)]);
    }
    const held = [...new Set([...before].map((lease) => lease.split(':')[0]))];
    if (!exit) {
      // Not gone long after its grace: a supervisor would kill it.
      await cluster.kill(name, 'SIGKILL');
      exit = { code: null, signal: 'SIGTERM ignored', at: Date.now() };
    }
    // Its grace runs from its handler, as SHUTDOWN_GRACE_SECONDS says.
    const exitMs = exit.at - (heardAt ?? signalledAt);
    const heardMs = heardAt === undefined ? undefined : heardAt - signalledAt;
    // Bounded a little beyond the lease: a handover that waits for the lease to expire is measured too.
    const handoverLimitMs = cluster.leaseSeconds * 1000 + 3_000;
    const handoverStarted = Date.now();
    const handedOver = await waitFor(
      async () => {
        // Carried on: completed, leased by another worker, or with an event written after the exit.
        const { rows } = await cluster.query(
          `select count(*)::int as n from executions e where e.id = any($1::uuid[]) and e.status <> 'completed'
             and (e.lease_owner is null or e.lease_owner like '%:' || $3::text || ':%')
             and not exists (select 1 from execution_events v where v.execution_id = e.id and v.created_at > to_timestamp($2::double precision / 1000))`,
          [held, exit.at, String(pid)],
        );
        return rows[0].n === 0;
      },
      { timeoutMs: handoverLimitMs, what: 'the stopped worker runs to go on elsewhere', intervalMs: 100 },
    ).then(
      () => Date.now() - exit.at,
      () => undefined,
    );
    const handoverWaitedMs = Date.now() - handoverStarted;
    await cluster.restart(name);
    return {
      name,
      held: held.length,
      exitCode: exit.code,
      exitSignal: exit.signal,
      exitMs,
      heardMs,
      intake: intake.size,
      handoverMs: handedOver,
      handoverWaitedMs,
    };
  },

  /** SIGKILL to the busiest worker, restarted at once as a supervisor would: its runs wait for the lease. */
  async sigkill(cluster) {
    const { name, held } = await busyWorker(cluster);
    const pid = cluster.pid(name);
    const killedAt = Date.now();
    await withTimeout(cluster.kill(name, 'SIGKILL'), 10_000, `${name} to die`);
    await cluster.restart(name);
    return { name, pid, held: held.length, killedAt };
  },
};

/** Processes that are dead, and exits nobody asked for since exit number `since`, as readable problems. */
export function processProblems(cluster, since) {
  const problems = cluster
    .unexpectedExits(since)
    .map(
      (exit) =>
        `${exit.name} (pid ${exit.pid}) died: ${exit.signal ?? `exit code ${exit.code}`}; its last lines:\n    ${exit.tail.slice(-8).join('\n    ')}`,
    );
  for (const name of cluster.names()) if (!cluster.alive(name)) problems.push(`${name} is not running`);
  return problems;
}

/** As a supervisor would: starts again whatever is dead, and Redis if it is down. Returns who was restarted. */
export async function superviseOnce(cluster) {
  if (!cluster.redis.running()) await cluster.redis.start();
  const dead = cluster.names().filter((name) => !cluster.alive(name));
  await Promise.all(dead.map((name) => cluster.restart(name)));
  return dead;
}

/**
 * Names of live workers not seen taking a lease (new, or a takeover) within `timeoutMs`: a worker alive but idle (its
 * job runner stopped) is as bad as a dead one, and another worker finishing its share would hide it.
 */
export async function idleWorkers(cluster, timeoutMs) {
  const leases = async () =>
    (await cluster.query('select id, lease_epoch, lease_owner from executions where lease_owner is not null').catch(() => ({ rows: [] })))
      .rows;
  // Leases already held do not count: a worker whose job runner stopped still finishes the runs it holds.
  const known = new Set((await leases()).map((row) => `${row.id}:${row.lease_epoch}`));
  const seen = new Set();
  const missing = () => cluster.names('worker').filter((name) => cluster.alive(name) && !seen.has(cluster.pid(name)));
  const deadline = Date.now() + timeoutMs;
  while (missing().length > 0 && Date.now() < deadline) {
    for (const row of await leases()) if (!known.has(`${row.id}:${row.lease_epoch}`)) seen.add(Number(row.lease_owner.split(':').at(-2)));
    await sleep(50);
  }
  return missing();
}
