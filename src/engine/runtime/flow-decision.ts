/**
 * Flow control's decisions, pure (unit-tested without a database): whether a run has room to be in
 * progress, and which queued runs to start when slots free. The counts come from engine/store/flow-store.ts,
 * read under the lock that serialises every admission and promotion of the same slots.
 */

/** A run asking for room: its concurrency group (absent: no workflow limit) and whether it is a top-level run. */
export interface SlotClaim {
  /** `<workflowId>/<key>`: runs sharing it share the limit. */
  group?: string;
  /** The limit its definition set for the group. */
  limit?: number;
  /** Only top-level runs count against the tenant's limit (a sub-workflow runs within its parent's slot). */
  topLevel: boolean;
}

/** Slots in use: per group, and the tenant's top-level runs in progress. */
export interface SlotUse {
  groups: Map<string, number>;
  tenant: number;
}

export function groupOf(workflowId: string, key: string): string {
  return `${workflowId}/${key}`;
}

/** Room in its group (if limited) and, for a top-level run, in the tenant (if limited). */
export function hasRoom(claim: SlotClaim, use: SlotUse, tenantLimit: number | undefined): boolean {
  if (claim.group !== undefined && claim.limit !== undefined && (use.groups.get(claim.group) ?? 0) >= claim.limit) return false;
  return !(tenantLimit !== undefined && claim.topLevel && use.tenant >= tenantLimit);
}

/**
 * The queued runs to start, from candidates in queue order (priority, then age): each one with room
 * takes its slots, so later candidates see them taken. A candidate without room is passed over, not
 * waited for: a run held back by its own group's limit does not hold back another group's runs.
 */
export function choosePromotions<C extends SlotClaim & { id: string }>(
  candidates: readonly C[],
  use: SlotUse,
  tenantLimit: number | undefined,
): C[] {
  const groups = new Map(use.groups);
  let tenant = use.tenant;
  const chosen: C[] = [];
  for (const candidate of candidates) {
    if (!hasRoom(candidate, { groups, tenant }, tenantLimit)) continue;
    chosen.push(candidate);
    if (candidate.group !== undefined) groups.set(candidate.group, (groups.get(candidate.group) ?? 0) + 1);
    if (candidate.topLevel) tenant += 1;
  }
  return chosen;
}
