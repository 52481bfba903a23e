import type { Queryable } from '../../infra/queryable.js';
import type { LeasedExecution } from './read-rows.js';
import { CLAIM, EXPIRE_LEASE, HAND_BACK, PARK, RECOVER, RENEW_LEASE } from './sql.js';

/**
 * The run queue's statements (store/sql.ts): claiming due runs with a lease, and what the lease's holder
 * may do with it. Every statement on a held lease is fenced by its epoch, so a holder that lost the lease
 * changes nothing.
 */

/** Leases up to `limit` runs due for at least `dueForMs` to `workerId` (raising each one's epoch). */
export function claimRuns(db: Queryable, workerId: string, leaseSeconds: number, limit: number, dueForMs = 0): Promise<LeasedExecution[]> {
  return db.query<LeasedExecution>(CLAIM, [workerId, leaseSeconds, limit, dueForMs / 1000]);
}

/** Makes due again up to `limit` runs whose lease ran out (their worker died); their ids. */
export async function recoverRuns(db: Queryable, limit: number): Promise<string[]> {
  return (await db.query<{ id: string }>(RECOVER, [limit])).map((row) => row.id);
}

/** What renewing the lease brings back: the run's signal counter and the requests made of it. */
export interface LeaseNews {
  signalSeq: number;
  cancelRequested: boolean;
  pauseRequested: boolean;
}

/** A lease as its holder knows it. */
export interface HeldLease {
  executionId: string;
  epoch: number;
}

/** Extends the lease; undefined when it is lost. */
export async function renewLease(db: Queryable, lease: HeldLease, leaseSeconds: number): Promise<LeaseNews | undefined> {
  const [row] = await db.query<{ signal_seq: number; cancel_requested: boolean; pause_requested: boolean }>(RENEW_LEASE, [
    lease.executionId,
    lease.epoch,
    leaseSeconds,
  ]);
  return row ? { signalSeq: row.signal_seq, cancelRequested: row.cancel_requested, pauseRequested: row.pause_requested } : undefined;
}

/** Lets the lease run out now: the recovery scan releases the run at its next pass. */
export async function expireLease(db: Queryable, lease: HeldLease): Promise<void> {
  await db.query(EXPIRE_LEASE, [lease.executionId, lease.epoch]);
}

/** Gives the run back, due now. */
export async function handBack(db: Queryable, lease: HeldLease): Promise<void> {
  await db.query(HAND_BACK, [lease.executionId, lease.epoch]);
}

/**
 * Releases the run as `waiting` or `paused` until `wakeAt` (or a signal), logging `execution.<status>`
 * with `payload`. Refused (undefined) when a signal arrived since `signalSeq` or the lease is gone.
 */
export async function park(
  db: Queryable,
  lease: HeldLease,
  parking: { status: 'waiting' | 'paused'; wakeAt: Date | undefined; signalSeq: number; payload: object },
): Promise<{ lastEventSeq: number } | undefined> {
  const { status, wakeAt, signalSeq, payload } = parking;
  const [parked] = await db.query<{ id: string; last_event_seq: number }>(PARK, [
    lease.executionId,
    lease.epoch,
    status,
    wakeAt?.toISOString() ?? null,
    signalSeq,
    `execution.${status}`,
    JSON.stringify(payload),
  ]);
  return parked ? { lastEventSeq: parked.last_event_seq } : undefined;
}
