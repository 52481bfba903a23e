import type { Queryable } from '../infra/queryable.js';
import { eventScanSchedule, type EventScan } from './event-scan.js';

/**
 * The hourly scan behind the pipeline's weekly follow-ups: every open opportunity that has sat at its
 * stage for a whole week or more gets one `opportunity.stalled` event per whole week it has not moved
 * (which starts `opportunity_follow_up`, a task for its owner). The event's id is derived from
 * `opportunity.stalled:<opportunity>:<stage changed at>:<weeks>`, so the scan of every hour of that week —
 * or two schedulers scanning at once — records it once; a move changes `stageChangedAt`, and the new stage
 * counts its own weeks from the move.
 *
 * Why a scan and not waits in lead_to_opportunity: the opportunity row is the truth about when it last
 * moved, and the scan reads it each time, so no move is ever missed and a stall makes a task every week
 * for as long as it lasts. A chain of waits re-armed after each move or timeout would leave a moment
 * between one wait ending and the next registering in which a move goes unseen (a wait looks back only to
 * its own step's start), and the definition language has no loop to make one task per week.
 * A business rule, so it lives with the workflows: the composition root hands it to the engine as a
 * system schedule, as it does the expiring-soon scan.
 */

export const OPPORTUNITY_STALLED_EVENT = 'opportunity.stalled';
export const STALLED_AFTER_DAYS = 7;
const WEEK_MS = STALLED_AFTER_DAYS * 24 * 60 * 60 * 1000;

export function stalledEventKey(opportunityId: string, stageChangedAt: Date, weeks: number): string {
  return `${OPPORTUNITY_STALLED_EVENT}:${opportunityId}:${stageChangedAt.toISOString()}:${weeks}`;
}

interface StalledOpportunity {
  id: string;
  tenantId: string;
  stage: string;
  owner: string;
  name: string;
  stageChangedAt: Date;
}

/**
 * Open opportunities whose stage last changed at or before $1, oldest move first. Its `where` is the
 * partial index `opportunities_open_stage_changed_at_index`'s, so the scan reads the open deals only.
 */
export const STALLED_SCAN_SQL = `select id, tenant_id, stage, owner, name, stage_changed_at from opportunities
     where stage not in ('closed_won', 'closed_lost') and stage_changed_at <= $1
     order by stage_changed_at, id`;

async function openOpportunitiesUnmovedSince(db: Queryable, before: Date): Promise<StalledOpportunity[]> {
  const rows = await db.query<{ id: string; tenant_id: string; stage: string; owner: string; name: string; stage_changed_at: Date }>(
    STALLED_SCAN_SQL,
    [before],
  );
  return rows.map((row) => ({
    id: row.id,
    tenantId: row.tenant_id,
    stage: row.stage,
    owner: row.owner,
    name: row.name,
    stageChangedAt: new Date(row.stage_changed_at),
  }));
}

const weeksAt = (opportunity: StalledOpportunity, now: Date) =>
  Math.floor((now.getTime() - opportunity.stageChangedAt.getTime()) / WEEK_MS);

export const STALLED_OPPORTUNITIES_SCAN: EventScan<StalledOpportunity> = {
  event: OPPORTUNITY_STALLED_EVENT,
  // Hourly, on the hour: a stall is noticed within the hour its week is up.
  cron: '0 * * * *',
  find: (db, now) => openOpportunitiesUnmovedSince(db, new Date(now.getTime() - WEEK_MS)),
  describe: (opportunity, now) => ({
    key: stalledEventKey(opportunity.id, opportunity.stageChangedAt, weeksAt(opportunity, now)),
    tenantId: opportunity.tenantId,
    payload: {
      opportunityId: opportunity.id,
      name: opportunity.name,
      stage: opportunity.stage,
      owner: opportunity.owner,
      stageChangedAt: opportunity.stageChangedAt.toISOString(),
      weeksStalled: weeksAt(opportunity, now),
    },
  }),
};

export const STALLED_OPPORTUNITIES_SCHEDULE = eventScanSchedule(STALLED_OPPORTUNITIES_SCAN);
