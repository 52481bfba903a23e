import { buildTimeline, type TimelineEvent } from '../../../console/src/run/timeline.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const event = (ms: number, type: string, stepKey: string | null = null, payload: Record<string, unknown> = {}): TimelineEvent => ({
  type,
  stepKey,
  at: new Date(T0 + ms).toISOString(),
  payload,
});
const bars = (timeline: ReturnType<typeof buildTimeline>, key: string) =>
  timeline.rows
    .find((row) => row.key === key)
    ?.segments.map((s) =>
      [`${s.kind}${s.attempt ? `#${s.attempt}` : ''}`, `${s.start - T0}-${s.end - T0}`, s.outcome, s.open ? 'open' : null]
        .filter(Boolean)
        .join(' '),
    );

describe("a run's timeline, from its event log", () => {
  it('draws each attempt, the back-off between them, and how the last one ended', () => {
    const timeline = buildTimeline(
      [
        event(0, 'execution.started'),
        event(10, 'step.started', 'flaky', { attempt: 1 }),
        event(30, 'step.retrying', 'flaky', { attempt: 1 }),
        event(80, 'step.started', 'flaky', { attempt: 2 }),
        event(95, 'step.retrying', 'flaky', { attempt: 2 }),
        event(190, 'step.started', 'flaky', { attempt: 3 }),
        event(200, 'step.failed', 'flaky', { attempt: 3 }),
        event(200, 'compensation.completed', 'reserve'),
        event(210, 'execution.failed'),
      ],
      T0 + 5000,
      false,
    );
    expect(bars(timeline, 'flaky')).toEqual([
      'attempt#1 10-30 retrying',
      'backoff#1 30-80 retried',
      'attempt#2 80-95 retrying',
      'backoff#2 95-190 retried',
      'attempt#3 190-200 failed',
    ]);
    expect(bars(timeline, 'reserve')).toEqual(['compensation 200-200 completed']);
    // A finished run's axis ends at its last event, whatever the time now; no parked spell, no run row.
    expect([timeline.start - T0, timeline.end - T0]).toEqual([0, 210]);
    expect(timeline.rows.map((row) => row.key)).toEqual(['flaky', 'reserve']);
  });

  it('shows a wait inside its attempt and the run parked meanwhile, open up to now while live', () => {
    const events = [
      event(0, 'execution.started'),
      event(5, 'step.started', 'gate', { attempt: 1 }),
      event(6, 'step.waiting', 'gate'),
      event(7, 'execution.waiting'),
    ];
    const live = buildTimeline(events, T0 + 1000, true);
    expect(bars(live, 'gate')).toEqual(['attempt#1 5-6 waiting', 'waiting#1 6-1000 open']);
    expect(bars(live, 'run')).toEqual(['parked 7-1000 waiting open']);
    expect(live.end - T0).toBe(1000);

    const resumed = buildTimeline(
      [
        ...events,
        event(1500, 'execution.resumed'),
        event(1501, 'step.completed', 'gate'),
        event(1502, 'step.skipped', 'later'),
        event(1503, 'execution.completed'),
      ],
      T0 + 2000,
      false,
    );
    expect(bars(resumed, 'gate')).toEqual(['attempt#1 5-6 waiting', 'waiting#1 6-1501 completed']);
    expect(bars(resumed, 'run')).toEqual(['parked 7-1500 waiting']);
    expect(bars(resumed, 'later')).toEqual(['skipped 1502-1502 skipped']);
  });

  it('shows the run queued behind a concurrency limit until a slot started it, open up to now while live', () => {
    const queued = [event(0, 'execution.created'), event(1, 'execution.queued', null, { status: 'queued' })];
    expect(bars(buildTimeline(queued, T0 + 400, true), 'run')).toEqual(['queued 1-400 open']);
    const started = buildTimeline(
      [
        ...queued,
        event(700, 'execution.started'),
        event(701, 'step.started', 'a', { attempt: 1 }),
        event(705, 'step.completed', 'a'),
        event(706, 'execution.completed'),
      ],
      T0 + 9000,
      false,
    );
    expect(bars(started, 'run')).toEqual(['queued 1-700 started']);
    expect(bars(started, 'a')).toEqual(['attempt#1 701-705 completed']);
    // Cancelled while queued: it ran nothing, and the spell says how it ended.
    expect(bars(buildTimeline([...queued, event(50, 'execution.cancelled')], T0 + 99, false), 'run')).toEqual(['queued 1-50 cancelled']);
  });

  it('shows a retry that waited in the queue, apart from the parked spells', () => {
    const timeline = buildTimeline(
      [
        event(0, 'execution.started'),
        event(1, 'step.started', 'pay', { attempt: 1 }),
        event(2, 'step.failed', 'pay', { attempt: 1 }),
        event(3, 'execution.failed'),
        event(100, 'execution.retried', null, { fromStep: 'pay', reset: ['pay'], status: 'queued' }),
        event(300, 'execution.resumed'),
        event(301, 'step.started', 'pay', { attempt: 1 }),
        event(302, 'step.waiting', 'pay'),
        event(303, 'execution.waiting'),
        event(400, 'execution.resumed'),
        event(401, 'step.completed', 'pay'),
        event(402, 'execution.completed'),
      ],
      T0 + 9000,
      false,
    );
    expect(bars(timeline, 'run')).toEqual(['queued 100-300 started', 'parked 303-400 waiting']);
    // A retry that found a free slot at once is no queued spell.
    expect(
      buildTimeline(
        [event(0, 'execution.failed'), event(5, 'execution.retried', null, { fromStep: 'a', reset: ['a'] }), event(6, 'execution.resumed')],
        T0,
        false,
      ).rows,
    ).toEqual([]);
  });

  it('ends what a cancellation interrupted, and is empty before anything ran', () => {
    const cancelled = buildTimeline(
      [event(0, 'step.started', 'gate', { attempt: 1 }), event(1, 'step.waiting', 'gate'), event(50, 'execution.cancelled')],
      T0 + 99,
      false,
    );
    expect(bars(cancelled, 'gate')).toEqual(['attempt#1 0-1 waiting', 'waiting#1 1-50 cancelled']);
    expect(buildTimeline([], T0, true)).toEqual({ start: T0, end: T0, rows: [] });
  });

  it('marks each decision of an approval step on its row, and its wait says how far the request got', () => {
    const decided = (ms: number, by: string, decision: string, approvals: number, status: string, comment: string | null) =>
      event(ms, 'approval.decided', 'sign_off', { decision, by, userId: `u-${by}`, comment, status, approvals, required: 2 });
    const events = [
      event(0, 'execution.started'),
      event(5, 'step.started', 'sign_off', { attempt: 1 }),
      event(6, 'step.waiting', 'sign_off', { awaitingApproval: { prompt: 'Ship it?', required: 2, approvals: 0 }, decisions: [] }),
      event(7, 'execution.waiting'),
      decided(100, 'ana@example.com', 'approve', 1, 'pending', 'fine by me'),
    ];
    const waiting = buildTimeline(events, T0 + 200, true);
    const row = waiting.rows.find((each) => each.key === 'sign_off')?.segments ?? [];
    expect(row.map((segment) => [segment.kind, segment.outcome, segment.note])).toEqual([
      ['attempt', 'waiting', undefined],
      ['waiting', null, 'awaiting approval (1 of 2 approvals)'],
      ['decision', 'approved', 'ana@example.com approved (1 of 2 approvals): “fine by me”'],
    ]);

    const closed = buildTimeline(
      [
        ...events,
        decided(150, 'bo@example.com', 'reject', 1, 'rejected', null),
        event(151, 'step.failed', 'sign_off'),
        event(152, 'execution.failed'),
      ],
      T0 + 200,
      false,
    );
    expect(bars(closed, 'sign_off')).toEqual([
      'attempt#1 5-6 waiting',
      'waiting#1 6-151 failed',
      'decision 100-100 approved',
      'decision 150-150 rejected',
    ]);
    expect(closed.rows.find((each) => each.key === 'sign_off')?.segments[3]?.note).toBe(
      'bo@example.com rejected (1 of 2 approvals) · request rejected',
    );
  });
});

describe("a run's child runs, from its event log", () => {
  it('names each child once, with the step that started it', async () => {
    const { childRuns } = await import('../../../console/src/run/child-runs.js');
    expect(
      childRuns([
        event(0, 'step.started', 'call', { attempt: 1 }),
        event(1, 'step.waiting', 'call', { childExecutionId: 'c-1' }),
        event(2, 'step.waiting', 'call', { childExecutionId: 'c-1' }),
        event(3, 'step.waiting', 'gate', { until: 'x' }),
        event(4, 'step.waiting', 'again', { childExecutionId: 'c-2' }),
      ]),
    ).toEqual([
      { stepKey: 'call', executionId: 'c-1' },
      { stepKey: 'again', executionId: 'c-2' },
    ]);
  });
});
