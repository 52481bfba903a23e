import type { StepDefinition, WorkflowDefinition } from '../../src/engine/definition/step-types.js';
import { decide, type DeciderInput, type Decision } from '../../src/engine/runtime/decider.js';
import type { ExecutionState, StepState } from '../../src/engine/runtime/state.js';
import type { RecordedError } from '../../src/entities/json.js';

const NOW = new Date('2026-11-22T10:00:00Z');
const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

function step(name: string, extra: Partial<StepDefinition> = {}): StepDefinition {
  return { name, type: 'transform', output: {}, ...extra } as StepDefinition;
}

let sequence = 0;
/** `extra` may clear what the status would set (`completedAt: undefined`). */
function recorded(key: string, status: StepState['status'], extra: { [K in keyof StepState]?: StepState[K] | undefined } = {}): StepState {
  sequence += 1;
  return {
    key,
    name: key,
    type: 'transform',
    sequence,
    status,
    attempts: 1,
    completedAt: status === 'running' ? undefined : later(sequence),
    ...extra,
  } as StepState;
}

function input(
  steps: StepDefinition[],
  states: StepState[],
  extra: Partial<Omit<DeciderInput, 'state'>> & { state?: Partial<ExecutionState> } = {},
): DeciderInput {
  const definition: WorkflowDefinition = { steps };
  return {
    definition,
    now: NOW,
    inFlight: new Set(),
    blocked: new Map(),
    ...extra,
    state: {
      executionId: 'e',
      tenantId: 't',
      status: 'running',
      context: {},
      steps: new Map(states.map((state) => [state.key, state])),
      cancelRequested: false,
      pauseRequested: false,
      ...extra.state,
    },
  };
}

const started = (decision: Decision) => (decision.kind === 'act' ? decision.start.map((s) => s.name) : decision.kind);

describe('decider', () => {
  it('starts the first step, then each next one, then completes', () => {
    const steps = [step('a'), step('b')];
    expect(started(decide(input(steps, [])))).toEqual(['a']);
    expect(started(decide(input(steps, [recorded('a', 'completed')])))).toEqual(['b']);
    expect(decide(input(steps, [recorded('a', 'completed'), recorded('b', 'completed')]))).toEqual({
      kind: 'complete',
      ended: false,
      skip: [],
    });
  });

  it('waits for a step in flight, and resumes a running step nobody runs (a crashed attempt)', () => {
    const steps = [step('a')];
    expect(decide(input(steps, [recorded('a', 'running')], { inFlight: new Set(['a']) }))).toEqual({ kind: 'blocked', inFlight: true });
    expect(started(decide(input(steps, [recorded('a', 'running')])))).toEqual(['a']);
  });

  it('waits for a retry until its time, then starts it again', () => {
    const steps = [step('a')];
    const retrying = recorded('a', 'pending', { nextAttemptAt: later(30), completedAt: undefined });
    expect(decide(input(steps, [retrying]))).toEqual({ kind: 'blocked', inFlight: false, wakeAt: later(30) });
    expect(started(decide({ ...input(steps, [retrying]), now: later(31) }))).toEqual(['a']);
  });

  it('goes on after a non-critical failure and fails on a critical one', () => {
    const steps = [step('a', { critical: false }), step('b')];
    expect(started(decide(input(steps, [recorded('a', 'failed')])))).toEqual(['b']);
    const failure: RecordedError = { code: 'EXTERNAL_UNAVAILABLE', message: 'down', retryable: true };
    expect(decide(input([step('a'), step('b')], [recorded('a', 'failed', { error: failure })]))).toEqual({ kind: 'fail', error: failure });
  });

  it('compensates completed steps latest first before failing', () => {
    const compensable = (name: string) =>
      ({ name, type: 'service_call', service: 's', method: 'do', compensate: { service: 's', method: 'undo' } }) as StepDefinition;
    const steps = [compensable('a'), compensable('b'), step('c')];
    const states = [
      recorded('a', 'completed'),
      recorded('b', 'completed'),
      recorded('c', 'failed', { error: { code: 'STEP_FAILED', message: 'x', retryable: false } }),
    ];
    const first = decide(input(steps, states));
    expect(first.kind === 'compensate' && first.step.name).toBe('b');
    states[1] = { ...states[1]!, compensation: { status: 'completed', at: NOW.toISOString() } };
    const second = decide(input(steps, states));
    expect(second.kind === 'compensate' && second.step.name).toBe('a');
    states[0] = { ...states[0]!, compensation: { status: 'failed', at: NOW.toISOString() } };
    expect(decide(input(steps, states)).kind).toBe('fail');
  });

  it('runs the taken branch of a condition, finishes it, and ends the run when told to', () => {
    const condition = {
      name: 'c',
      type: 'condition',
      expression: 'x',
      then: [step('t')],
      else: [step('e')],
      onFalse: 'end',
    } as StepDefinition;
    const steps = [condition, step('after')];
    const thenTaken = recorded('c', 'running', { output: { result: true, branch: 'then' } });
    expect(started(decide(input(steps, [thenTaken])))).toEqual(['t']);
    const finish = decide(input(steps, [thenTaken, recorded('t', 'completed'), recorded('e', 'skipped')]));
    expect(finish).toMatchObject({ kind: 'act', start: [], finish: [{ step: { name: 'c' }, status: 'completed' }] });
    const elseDone = [
      recorded('c', 'completed', { output: { result: false, branch: 'else' } }),
      recorded('e', 'completed'),
      recorded('t', 'skipped'),
    ];
    expect(decide(input(steps, elseDone))).toMatchObject({ kind: 'complete', ended: true, skip: [{ name: 'after' }] });
  });

  it('fails a condition whose false branch must fail the run', () => {
    const condition = { name: 'c', type: 'condition', expression: 'x', onFalse: 'fail' } as StepDefinition;
    const decision = decide(input([condition], [recorded('c', 'running', { output: { result: false, branch: 'else' } })]));
    expect(decision).toMatchObject({ kind: 'act', finish: [{ status: 'failed', error: { code: 'CONDITION_FALSE' } }] });
  });

  it('starts every parallel branch at once and joins them', () => {
    const parallel = { name: 'p', type: 'parallel', branches: [[step('l1'), step('l2')], [step('r1')]] } as StepDefinition;
    const running = recorded('p', 'running');
    expect(started(decide(input([parallel], [running])))).toEqual(['l1', 'r1']);
    expect(
      started(decide(input([parallel], [running, recorded('l1', 'completed'), recorded('r1', 'running')], { inFlight: new Set(['r1']) }))),
    ).toEqual(['l2']);
    const done = decide(
      input([parallel], [running, recorded('l1', 'completed'), recorded('l2', 'completed'), recorded('r1', 'completed')]),
    );
    expect(done).toMatchObject({ kind: 'act', finish: [{ step: { name: 'p' }, status: 'completed' }] });
  });

  it('stops starting parallel work after a branch fails, joins what is in flight, then fails', () => {
    const parallel = { name: 'p', type: 'parallel', branches: [[step('l1'), step('l2')], [step('r1')]] } as StepDefinition;
    const error: RecordedError = { code: 'STEP_FAILED', message: 'x', retryable: false };
    const inFlight = [recorded('p', 'running'), recorded('l1', 'running'), recorded('r1', 'failed', { error })];
    expect(decide(input([parallel], inFlight, { inFlight: new Set(['l1']) }))).toEqual({ kind: 'blocked', inFlight: true });
    // l1 finished: l2 is not started, the parallel fails.
    const joined = [recorded('p', 'running'), recorded('l1', 'completed'), recorded('r1', 'failed', { error })];
    expect(decide(input([parallel], joined))).toMatchObject({ kind: 'act', start: [], finish: [{ status: 'failed', error }] });
  });

  it('keeps a waiting step blocked until its wake time', () => {
    const wait = { name: 'w', type: 'wait', seconds: 60 } as StepDefinition;
    expect(decide(input([wait], [recorded('w', 'running')], { blocked: new Map([['w', later(60)]]) }))).toEqual({
      kind: 'blocked',
      inFlight: false,
      wakeAt: later(60),
    });
    const child = { name: 'sub', type: 'sub_workflow', workflow: 'x' } as StepDefinition;
    expect(decide(input([child], [recorded('sub', 'running')], { blocked: new Map([['sub', undefined]]) }))).toEqual({
      kind: 'blocked',
      inFlight: false,
    });
  });

  it('cancels before anything else, and pauses only at a step boundary', () => {
    const steps = [step('a'), step('b')];
    expect(decide(input(steps, [], { state: { cancelRequested: true } }))).toEqual({ kind: 'cancel' });
    expect(decide(input(steps, [recorded('a', 'running')], { inFlight: new Set(['a']), state: { pauseRequested: true } }))).toEqual({
      kind: 'blocked',
      inFlight: true,
    });
    expect(decide(input(steps, [recorded('a', 'completed')], { state: { pauseRequested: true } }))).toEqual({ kind: 'pause' });
  });
});
