import type { RunSummaryFragment } from '../../../console/src/generated/graphql.js';
import { asNewAsTheFeed, newestSummary } from '../../../console/src/run/run-version.js';

const copy = (lastSequence: number, status: RunSummaryFragment['status']): RunSummaryFragment => ({
  id: 'run-1',
  status,
  cancelRequested: false,
  pauseRequested: false,
  lastSequence,
  startedAt: null,
  completedAt: null,
  durationMs: null,
  availableActions: [],
  error: null,
});

describe("a run's copies, newest by the events each had seen", () => {
  it('keeps the copy with the highest sequence, whatever order they arrive in', () => {
    expect(newestSummary(null, [])).toBeNull();
    expect(newestSummary(copy(4, 'WAITING'), [copy(7, 'CANCELLED'), copy(5, 'RUNNING')])?.status).toBe('CANCELLED');
    expect(newestSummary(copy(7, 'CANCELLED'), [copy(4, 'WAITING')])?.status).toBe('CANCELLED');
  });

  it("shows the cached run unless the feed's copy is newer; then the cached run with the feed's summary", () => {
    const cached = { ...copy(4, 'WAITING'), workflowVersion: 3 };
    expect(asNewAsTheFeed(cached, null)).toBe(cached);
    expect(asNewAsTheFeed(cached, copy(4, 'CANCELLED'))).toBe(cached);
    expect(asNewAsTheFeed(cached, { ...copy(9, 'CANCELLED'), id: 'run-2' })).toBe(cached);
    expect(asNewAsTheFeed(cached, copy(7, 'CANCELLED'))).toEqual({ ...copy(7, 'CANCELLED'), workflowVersion: 3 });
    expect(asNewAsTheFeed(undefined, copy(7, 'CANCELLED'))).toBeUndefined();
  });
});
