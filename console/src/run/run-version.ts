import type { RunSummaryFragment } from '../generated/graphql.js';

/**
 * The newer of two copies of a run, by the sequence of the last event each had seen: a copy that
 * arrives later is not always newer (a command's answer, read before the worker acted, can reach the
 * page after the event that followed it).
 */
export function newestSummary(held: RunSummaryFragment | null, arrived: readonly RunSummaryFragment[]): RunSummaryFragment | null {
  return arrived.reduce<RunSummaryFragment | null>(
    (newest, run) => (newest && newest.lastSequence >= run.lastSequence ? newest : run),
    held,
  );
}

/**
 * The cached run, unless the live feed has brought a newer copy of its summary (status, actions, error,
 * times): then the cached run with that summary. The cache keeps what was written last, and an older
 * answer written after an event would otherwise take the page back until the run is read again.
 */
export function asNewAsTheFeed<Run extends RunSummaryFragment>(cached: Run | undefined, live: RunSummaryFragment | null): Run | undefined {
  if (!cached || !live || live.id !== cached.id || live.lastSequence <= cached.lastSequence) return cached;
  return { ...cached, ...live };
}
