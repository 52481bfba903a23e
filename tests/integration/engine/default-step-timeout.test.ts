import { z } from 'zod';
import { defineServiceMethod } from '../../../src/services/registry.js';
import { useTestEngine } from '../../helpers/engine.js';

/** A call that never answers and ignores its abort signal: the case the engine's default timeout is for. */
const hang = defineServiceMethod({
  service: 'test',
  method: 'hang',
  description: 'Never answers, whatever its signal says.',
  effects: 'none',
  input: z.object({}),
  run: () => new Promise<never>(() => undefined),
});

describe("engine: a service call's default timeout", () => {
  // A tiny default, so a hanging call times out in a fraction of a second (the setting's default is 300 s).
  const t = useTestEngine({ config: { defaultStepTimeoutSeconds: 0.2 }, deps: { services: [hang] } });

  it('fails an attempt of a service call without timeoutSeconds that never answers with the retryable TIMEOUT, and retries it', async () => {
    await t.save('hangs', {
      steps: [
        {
          name: 'call',
          type: 'service_call',
          service: 'test',
          method: 'hang',
          params: {},
          retry: { maxAttempts: 2, initialIntervalSeconds: 0.05 },
        },
      ],
    });
    const { executionId, execution } = await t.run('hangs');
    expect(execution.status).toBe('failed');
    expect((await t.steps(executionId))[0]).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: { code: 'TIMEOUT', message: 'step call timed out after 0.2 s', retryable: true },
    });
    // The first attempt's timeout was retried, as a step's own timeout is.
    expect((await t.events(executionId)).filter((event) => event.step_key === 'call').map((event) => event.type)).toEqual([
      'step.started',
      'step.retrying',
      'step.started',
      'step.failed',
    ]);
    expect(execution.error).toMatchObject({ code: 'TIMEOUT', retryable: true, step: 'call' });
  });

  it("keeps a step's own timeoutSeconds, longer than the default", async () => {
    await t.save('own_timeout', {
      steps: [{ name: 'call', type: 'service_call', service: 'test', method: 'sleep', params: { ms: 600 }, timeoutSeconds: 30 }],
    });
    const { executionId, execution } = await t.run('own_timeout');
    expect(execution.status).toBe('completed');
    expect((await t.steps(executionId))[0]).toMatchObject({ status: 'completed', attempts: 1, output: { slept: 600 } });
  });

  it('fails a compensation that never answers with TIMEOUT, and the run still ends failed', async () => {
    await t.save('hanging_undo', {
      steps: [
        {
          name: 'reserve',
          type: 'service_call',
          service: 'test',
          method: 'echo',
          params: {},
          compensate: { service: 'test', method: 'hang' },
        },
        {
          name: 'charge',
          type: 'service_call',
          service: 'test',
          method: 'flaky',
          params: { failures: 1, code: 'VALIDATION_FAILED', retryable: false },
        },
      ],
    });
    const { executionId, execution } = await t.run('hanging_undo');
    expect(execution.status).toBe('failed');
    expect(execution.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      step: 'charge',
      compensations: [{ step: 'reserve', status: 'failed' }],
    });
    expect((await t.steps(executionId)).find((step) => step.key === 'reserve')).toMatchObject({
      status: 'completed',
      compensation: {
        status: 'failed',
        error: { code: 'TIMEOUT', message: 'the compensation of step reserve timed out after 0.2 s', retryable: true },
      },
    });
    expect((await t.events(executionId)).map((event) => event.type)).toContain('compensation.failed');
  });
});
