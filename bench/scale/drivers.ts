import type pg from 'pg';
import { coerceError } from '../../src/errors.js';
import type { BenchProcess } from './cluster.js';
import type { Reply } from './protocol.js';

type Done = Extract<Reply, { kind: 'done' }>;

/**
 * The load: a closed loop of runs (a fixed number in flight, started through the API processes,
 * completion seen by polling the executions table) or an open loop of domain events at a fixed rate.
 * Both run until stopped; what they achieved is measured afterwards from the database's timestamps.
 */

export interface DriverStats {
  /** Runs or events asked of the API processes since measure(). */
  requested: number;
  /** How long each start or publish took inside its API process, since measure(). */
  latencyMs: number[];
  /** Starts or publishes that failed, with the first reason. */
  errors: number;
  firstError?: string;
}

export interface Driver {
  /** The measured window begins: counts start again from zero. */
  measure(): void;
  stop(): Promise<DriverStats>;
}

const TERMINAL = `('completed', 'failed', 'cancelled')`;

function tally(): { stats: DriverStats; note(reply: Done): void; reset(): void } {
  const stats: DriverStats = { requested: 0, latencyMs: [], errors: 0 };
  return {
    stats,
    note(reply) {
      stats.latencyMs.push(...reply.ms);
      stats.errors += reply.errors;
      if (reply.firstError && !stats.firstError) stats.firstError = reply.firstError;
    },
    reset() {
      Object.assign(stats, { requested: 0, latencyMs: [], errors: 0 });
      delete stats.firstError;
    },
  };
}

/** Calls `tick` every `everyMs` (one at a time) until stopped; then waits for work it left running. */
function loop(everyMs: number, tick: () => Promise<void>, settle: () => Promise<unknown>): { stop(): Promise<void> } {
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      const started = performance.now();
      try {
        await tick();
      } catch (error) {
        // A failed poll (a busy server) is only a late one.
        void coerceError(error);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, everyMs - (performance.now() - started))));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await running;
      await settle();
    },
  };
}

/**
 * Keeps `inFlight` runs of `workflow` going. Every `pollMs` it asks the database which of the runs it
 * is waiting for have ended (a primary-key lookup of at most `inFlight` ids) and tops up through the
 * API processes, round robin.
 */
export function startClosedLoop(db: pg.Pool, apis: readonly BenchProcess[], workflow: string, inFlight: number, pollMs: number): Driver {
  const waiting = new Set<string>();
  const requests = new Set<Promise<void>>();
  let starting = 0;
  let nextApi = 0;
  const { stats, note, reset } = tally();

  const tick = async () => {
    if (waiting.size > 0) {
      const { rows } = await db.query<{ id: string }>(`select id from executions where id = any($1::uuid[]) and status in ${TERMINAL}`, [
        [...waiting],
      ]);
      for (const row of rows) waiting.delete(row.id);
    }
    const missing = inFlight - waiting.size - starting;
    if (missing <= 0) return;
    // Spread over the API processes: a share each, in turn.
    const share = Math.ceil(missing / apis.length);
    for (let left = missing; left > 0; left -= share) {
      const count = Math.min(share, left);
      const api = apis[nextApi++ % apis.length]!;
      starting += count;
      stats.requested += count;
      const request = api.request({ kind: 'start', workflow, count }).then((reply) => {
        starting -= count;
        for (const id of reply.ids) waiting.add(id);
        note(reply);
      });
      requests.add(request);
      void request.finally(() => requests.delete(request));
    }
  };
  const running = loop(pollMs, tick, () => Promise.all(requests));
  return {
    measure: reset,
    async stop() {
      await running.stop();
      return stats;
    },
  };
}

/** Publishes `perSecond` events in all, paced every 50 ms, handed to the API processes in turn. */
export function startEventPublisher(apis: readonly BenchProcess[], perSecond: number): Driver {
  const requests = new Set<Promise<void>>();
  const began = performance.now();
  let sent = 0;
  let nextApi = 0;
  const { stats, note, reset } = tally();

  const tick = async () => {
    const due = Math.floor(((performance.now() - began) / 1000) * perSecond) - sent;
    if (due <= 0) return;
    sent += due;
    stats.requested += due;
    const request = apis[nextApi++ % apis.length]!.request({ kind: 'publish', count: due }).then(note);
    requests.add(request);
    void request.finally(() => requests.delete(request));
  };
  const running = loop(50, tick, () => Promise.all(requests));
  return {
    measure: reset,
    async stop() {
      await running.stop();
      return stats;
    },
  };
}
