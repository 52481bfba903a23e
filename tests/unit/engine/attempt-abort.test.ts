import { AttemptAbort, signalSource } from '../../../src/engine/runtime/attempt-abort.js';

describe('AttemptAbort: an attempt abort whose signal is made on demand', () => {
  it('raised before anyone asked: says so, and the signal it then makes is already aborted with the reason', () => {
    const abort = new AttemptAbort();
    const reason = new Error('timed out');
    abort.abort(reason);
    expect(abort.aborted).toBe(true);
    expect(abort.signal.aborted).toBe(true);
    expect(abort.signal.reason).toBe(reason);
  });

  it('raised after its signal was handed out: aborts that signal, and its listeners hear it once', () => {
    const abort = new AttemptAbort();
    const signal = abort.signal;
    const heard: unknown[] = [];
    signal.addEventListener('abort', () => heard.push(signal.reason));
    expect(abort.aborted).toBe(false);
    abort.abort('cancelled');
    abort.abort('again');
    expect(heard).toEqual(['cancelled']);
    expect(abort.signal).toBe(signal);
  });

  it('without a reason: the signal carries the AbortError an AbortController gives', () => {
    const abort = new AttemptAbort();
    abort.abort();
    expect(abort.signal.reason).toBeInstanceOf(DOMException);
    expect((abort.signal.reason as DOMException).name).toBe('AbortError');
  });

  it("tells its one in-process listener once when raised (a run's abort raising its attempts')", () => {
    const run = new AttemptAbort();
    const attempt = new AttemptAbort();
    run.onAbort(() => attempt.abort());
    expect(attempt.aborted).toBe(false);
    run.abort('ended');
    run.abort('again');
    expect(attempt.aborted).toBe(true);
    expect(() => run.onAbort(() => undefined)).toThrow('one in-process listener');
  });

  it('a signal made elsewhere reads through signalSource', () => {
    const controller = new AbortController();
    const source = signalSource(controller.signal);
    expect(source.aborted).toBe(false);
    controller.abort();
    expect(source.aborted).toBe(true);
    expect(source.signal).toBe(controller.signal);
  });
});
