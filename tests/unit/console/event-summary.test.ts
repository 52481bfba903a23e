import { eventSummary } from '../../../console/src/run/event-summary.js';

describe("the event log's lines in words", () => {
  it('says who decided an approval, how, how far the request got and why; and when the decision closed it', () => {
    const payload = {
      decision: 'approve',
      by: 'ana@example.com',
      userId: 'u-1',
      comment: 'numbers checked',
      status: 'pending',
      approvals: 1,
      required: 2,
    };
    expect(eventSummary({ type: 'approval.decided', payload })).toBe('ana@example.com approved (1 of 2 approvals): “numbers checked”');
    expect(eventSummary({ type: 'approval.decided', payload: { ...payload, approvals: 2, status: 'approved', comment: null } })).toBe(
      'ana@example.com approved (2 of 2 approvals) · request approved',
    );
    expect(
      eventSummary({
        type: 'approval.decided',
        payload: { ...payload, decision: 'reject', approvals: 0, required: 1, status: 'rejected', comment: 'too dear' },
      }),
    ).toBe('ana@example.com rejected (0 of 1 approval): “too dear” · request rejected');
  });

  it("says what an approval step waits for, which branch a condition took, and a queued run's reason; nothing for the rest", () => {
    expect(
      eventSummary({ type: 'step.waiting', payload: { awaitingApproval: { prompt: 'Ship?', required: 3, approvals: 1 }, decisions: [] } }),
    ).toBe('awaiting approval (1 of 3 approvals)');
    expect(eventSummary({ type: 'step.waiting', payload: { until: '2026-01-01T00:00:00.000Z' } })).toBeNull();
    expect(eventSummary({ type: 'step.branched', payload: { expression: 'x', value: true, result: true, branch: 'then' } })).toBe(
      'took the then branch',
    );
    expect(eventSummary({ type: 'execution.queued', payload: { status: 'queued' } })).toBe('queued behind its concurrency limit');
    expect(eventSummary({ type: 'step.completed', payload: { output: {} } })).toBeNull();
  });
});
