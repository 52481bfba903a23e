import type { StepDefinition } from '../../../src/engine/definition/step-types.js';
import { attemptTimeoutSeconds } from '../../../src/engine/runtime/step-attempt.js';

const call: StepDefinition = { name: 'call', type: 'service_call', service: 'test', method: 'echo', params: {} };

describe("an attempt's time limit", () => {
  it("is a service call's own timeoutSeconds, else the engine's default", () => {
    expect(attemptTimeoutSeconds({ ...call, timeoutSeconds: 30 }, 300)).toBe(30);
    expect(attemptTimeoutSeconds({ ...call, timeoutSeconds: 600 }, 300)).toBe(600);
    expect(attemptTimeoutSeconds(call, 300)).toBe(300);
  });

  it('is none for a service call without its own when the default is 0', () => {
    expect(attemptTimeoutSeconds(call, 0)).toBeUndefined();
    expect(attemptTimeoutSeconds({ ...call, timeoutSeconds: 5 }, 0)).toBe(5);
  });

  it('leaves other steps to their own timeoutSeconds: they end at once or park the run', () => {
    expect(attemptTimeoutSeconds({ name: 'shape', type: 'transform', output: {} }, 300)).toBeUndefined();
    expect(attemptTimeoutSeconds({ name: 'nap', type: 'wait', seconds: 60 }, 300)).toBeUndefined();
    expect(attemptTimeoutSeconds({ name: 'nap', type: 'wait', seconds: 60, timeoutSeconds: 5 }, 300)).toBe(5);
  });
});
