import type { StepDefinition } from '../../src/engine/definition/step-types.js';
import { applyOutcome, containerFinished, started, type OutcomeInput } from '../../src/engine/runtime/apply-outcome.js';
import type { StepState } from '../../src/engine/runtime/state.js';
import type { RecordedError } from '../../src/entities/json.js';

const NOW = new Date('2026-12-02T10:00:00Z');

const call = (extra: Partial<StepDefinition> = {}): StepDefinition =>
  ({ name: 'charge', type: 'service_call', service: 'billing', method: 'charge', params: {}, ...extra }) as StepDefinition;

const running: StepState = {
  key: 'charge',
  name: 'charge',
  type: 'service_call',
  sequence: 3,
  status: 'running',
  attempts: 1,
  startedAt: NOW,
};

function apply(outcome: OutcomeInput['outcome'], extra: Partial<OutcomeInput> = {}) {
  return applyOutcome({ step: call(), current: running, outcome, attempt: 1, resuming: false, now: NOW, ...extra });
}

describe('applyOutcome: what an attempt comes to, recorded', () => {
  it('a completion records the output and its event; one committed in its own transaction records nothing more', () => {
    expect(apply({ kind: 'completed', output: { ok: true }, input: { amount: 5 } }).changes).toEqual([
      {
        step: { ...running, status: 'completed', output: { ok: true }, input: { amount: 5 }, completedAt: NOW },
        event: { type: 'step.completed', stepKey: 'charge', payload: { output: { ok: true } } },
      },
    ]);
    expect(apply({ kind: 'completed', output: { ok: true }, committed: true }).changes).toEqual([]);
  });

  it('a retryable failure under the step policy waits for its next attempt; the error stays visible', () => {
    const failure: RecordedError = { code: 'EXTERNAL_UNAVAILABLE', message: 'down', retryable: true };
    const { changes } = apply(
      { kind: 'failed', error: failure },
      { step: call({ retry: { maxAttempts: 3, initialIntervalSeconds: 2, backoffRate: 2 } }) },
    );
    expect(changes).toHaveLength(1);
    const [{ step, event }] = changes as [Required<(typeof changes)[0]>];
    expect(step).toMatchObject({ status: 'pending', error: failure, attempts: 1 });
    expect(step.nextAttemptAt!.getTime()).toBeGreaterThan(NOW.getTime());
    expect(step.nextAttemptAt!.getTime()).toBeLessThanOrEqual(NOW.getTime() + 2_000);
    expect(event).toMatchObject({ type: 'step.retrying', stepKey: 'charge', payload: { attempt: 1, error: failure } });
  });

  it('a dropped connection is retried though the step has no policy', () => {
    const [change] = apply({ kind: 'failed', error: { code: 'TRANSIENT', message: 'connection reset', retryable: true } }).changes;
    expect(change?.step.status).toBe('pending');
  });

  it('a failure with no retry left fails the step, critical unless the definition says otherwise', () => {
    const failure: RecordedError = { code: 'VALIDATION', message: 'no', retryable: false };
    const [change] = apply({ kind: 'failed', error: failure }, { current: { ...running, nextAttemptAt: NOW } }).changes;
    expect(change?.step).toEqual({ ...running, status: 'failed', error: failure, completedAt: NOW });
    expect(change?.event?.payload).toEqual({ attempt: 1, error: failure, critical: true });
    const [optional] = apply({ kind: 'failed', error: failure }, { step: call({ critical: false }) }).changes;
    expect(optional?.event?.payload['critical']).toBe(false);
  });

  it('a condition records its branch and skips the steps of the other one', () => {
    const condition = {
      name: 'big',
      type: 'condition',
      if: 'true',
      then: [{ name: 'approve', type: 'transform', output: {} }],
      else: [
        { name: 'reject', type: 'transform', output: {} },
        { name: 'notify', type: 'transform', output: {} },
      ],
    } as unknown as StepDefinition;
    const verdict = { expression: 'order.total > 1000', value: true, result: true };
    const applied = apply(
      { kind: 'branch', branch: 'then', verdict },
      { step: condition, current: { ...running, key: 'big', name: 'big', type: 'condition' } },
    );
    const why = { expression: 'order.total > 1000', value: true, result: true, branch: 'then' };
    expect(applied.changes[0]?.event).toEqual({ type: 'step.branched', stepKey: 'big', payload: why });
    expect(applied.changes[0]?.step.output).toEqual(why);
    expect(applied.skip.map((step) => step.name)).toEqual(['reject', 'notify']);
  });

  it('a wait blocks the step and registers its event wait; resumed unchanged, it records nothing again', () => {
    const until = new Date(NOW.getTime() + 60_000);
    const wait = { eventName: 'payment.received', match: 'true' };
    const first = apply({ kind: 'waiting', until, wait });
    expect(first.blocked).toEqual({ until });
    expect(first.wait).toEqual({ stepKey: 'charge', ...wait });
    expect(first.changes[0]?.event).toEqual({ type: 'step.waiting', stepKey: 'charge', payload: { until: until.toISOString() } });
    expect(apply({ kind: 'waiting', until }, { resuming: true }).changes).toEqual([]);
    expect(apply({ kind: 'waiting', output: { child: 'c1' } }, { resuming: true }).changes).toEqual([
      { step: { ...running, output: { child: 'c1' } } },
    ]);
  });

  it('a skipped step (its when was false) keeps why; a step its when let run says so with its end', () => {
    const when = { expression: 'context.vip', value: null, result: false };
    expect(apply({ kind: 'skipped', verdict: when }).changes[0]).toEqual({
      step: { ...running, status: 'skipped', output: { when }, completedAt: NOW },
      event: { type: 'step.skipped', stepKey: 'charge', payload: { reason: 'when', when } },
    });
    const ran = { expression: 'context.vip', value: 'gold', result: true };
    expect(apply({ kind: 'completed', output: { ok: true }, when: ran }).changes[0]?.event?.payload).toEqual({
      output: { ok: true },
      when: ran,
    });
    const error: RecordedError = { code: 'STEP_FAILED', message: 'x', retryable: false };
    expect(apply({ kind: 'failed', error, when: ran }).changes[0]?.event?.payload['when']).toEqual(ran);
    expect(apply({ kind: 'started' })).toEqual({ changes: [], skip: [] });
  });
});

describe('step starts and container ends', () => {
  it('a retry raises the attempt and keeps the previous error visible; a first start takes the next sequence', () => {
    const previous: StepState = {
      ...running,
      status: 'pending',
      error: { code: 'STEP_FAILED', message: 'x', retryable: true },
      nextAttemptAt: NOW,
    };
    expect(started(call(), previous, 99, NOW)).toEqual({
      step: {
        key: 'charge',
        name: 'charge',
        type: 'service_call',
        sequence: 3,
        status: 'running',
        attempts: 2,
        startedAt: NOW,
        error: previous.error,
      },
      event: { type: 'step.started', stepKey: 'charge', payload: { type: 'service_call', attempt: 2 } },
    });
    expect(started(call(), undefined, 7, NOW).step).toMatchObject({ sequence: 7, attempts: 1 });
  });

  it("a parallel step completes with its branches' outputs; a failed one carries the failure", () => {
    const parallel = {
      name: 'both',
      type: 'parallel',
      branches: [[{ name: 'a', type: 'transform', output: {} }], [{ name: 'b', type: 'transform', output: {} }]],
    } as unknown as StepDefinition;
    const current: StepState = { ...running, key: 'both', name: 'both', type: 'parallel' };
    const outputs: Record<string, number> = { a: 1 };
    expect(containerFinished({ step: parallel, status: 'completed' }, current, (key) => outputs[key], NOW).step.output).toEqual({
      a: 1,
      b: null,
    });
    const failed = containerFinished({ step: parallel, status: 'failed' }, current, () => undefined, NOW);
    expect(failed.step).toMatchObject({ status: 'failed', error: { code: 'STEP_FAILED', retryable: false } });
  });
});
