import type { JsonObject } from '../entities/json.js';
import type { SystemSchedule, SystemScheduleRun } from '../engine/index.js';
import { insertEventsIfAbsent } from '../engine/store/trigger-store.js';
import { uuidFromKey } from '../infra/event-ids.js';
import type { Queryable } from '../infra/queryable.js';

/**
 * The shape of the business scans handed to the scheduler: at each tick, rows found → one domain event
 * each, whose id is derived from `key`, so scanning the same state again (the next tick, or two
 * schedulers at once) records nothing new. The events start workflows through their triggers.
 */
export interface EventScan<Row> {
  event: string;
  cron: string;
  find(db: Queryable, now: Date): Promise<Row[]>;
  describe(row: Row, now: Date): { key: string; tenantId: string; payload: JsonObject };
}

/**
 * Runs a scan once: how many rows it found and how many events were new. `traceParent` (the tick's span)
 * is kept with each event, so the runs they start are in the tick's trace.
 */
export async function runEventScan<Row>(
  scan: EventScan<Row>,
  db: Queryable,
  { now, traceParent }: SystemScheduleRun,
): Promise<{ found: number; recorded: number }> {
  const rows = await scan.find(db, now);
  const events = rows.map((row) => {
    const { key, tenantId, payload } = scan.describe(row, now);
    return {
      id: uuidFromKey(key),
      tenantId,
      name: scan.event,
      payload,
      source: `system-schedule:${scan.event}`,
      occurredAt: now,
      ...(traceParent ? { traceParent } : {}),
    };
  });
  const recorded = await insertEventsIfAbsent(db, events);
  return { found: rows.length, recorded: recorded.length };
}

export function eventScanSchedule<Row>(scan: EventScan<Row>): SystemSchedule {
  return { name: scan.event, cron: scan.cron, timezone: 'UTC', run: (db, tick) => runEventScan(scan, db, tick) };
}
