import { Writable } from 'node:stream';
import { createLogger } from '../../../src/logger.js';
import { createRunLog } from '../../../src/observability/run-log.js';
import { useTestEngine } from '../../helpers/engine.js';
import { eventually } from '../../helpers/eventually.js';

/**
 * Issue 14's log: one line per change of a run's state, as the engine reports it (not driven by hand):
 * a run that parks on an event and resumes, and one whose failing step makes it compensate the steps before.
 */
describe('the run log of real runs', () => {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const t = useTestEngine({ deps: { observer: createRunLog(createLogger('info', stream)) } });

  const story = (executionId: string) =>
    lines.filter((line) => line['executionId'] === executionId).map((line) => [line['level'], line['msg']]);
  /** The story once its last line is written: the engine reports a run's end after the commit a waiter sees. */
  const storyEndingWith = (executionId: string, last: string) =>
    eventually(
      `the run log's "${last}"`,
      async () => story(executionId),
      (told) => told.some(([, msg]) => msg === last),
    );

  it('says when a parked run resumes', async () => {
    await t.save('log_waits', {
      steps: [
        { name: 'released', type: 'wait', event: { name: 'log.released' } },
        { name: 'done', type: 'transform', output: { done: true } },
      ],
    });
    const executionId = await t.start('log_waits');
    await t.waitFor(executionId, (status) => status === 'waiting');
    expect(await t.engine.deliverEvent({ tenantId: t.tenantId, name: 'log.released', payload: {}, id: 'log-release-1' })).toBe(1);
    await t.waitFor(executionId);
    expect(await storyEndingWith(executionId, 'run completed: log_waits')).toEqual([
      [30, 'run started: log_waits'],
      [30, 'run waiting: log_waits'],
      [30, 'run resumed: log_waits'],
      [30, 'run completed: log_waits'],
    ]);
    expect(lines.find((line) => line['msg'] === 'run resumed: log_waits')).toMatchObject({
      executionId,
      workflow: 'log_waits',
      tenantId: t.tenantId,
    });
  });

  it('says which steps were compensated, after the step that failed', async () => {
    const step = (label: string) => ({
      name: label,
      type: 'service_call',
      service: 'test',
      method: 'record',
      params: { label },
      compensate: { service: 'test', method: 'undo', params: { label } },
    });
    await t.save('log_saga', {
      steps: [
        step('reserve'),
        step('charge'),
        { name: 'ship', type: 'service_call', service: 'test', method: 'record', params: { label: 'ship', failAfterWrite: true } },
      ],
    });
    const { executionId, execution } = await t.run('log_saga');
    expect(execution.status).toBe('failed');
    expect(await storyEndingWith(executionId, 'run failed: log_saga (INVALID_STATE)')).toEqual([
      [30, 'run started: log_saga'],
      [40, 'step failed: ship (INVALID_STATE, attempt 1)'],
      [30, 'step compensated: charge'],
      [30, 'step compensated: reserve'],
      [40, 'run failed: log_saga (INVALID_STATE)'],
    ]);
    expect(lines.find((line) => line['msg'] === 'step compensated: charge')).toMatchObject({
      executionId,
      workflow: 'log_saga',
      tenantId: t.tenantId,
      step: 'charge',
      compensation: 'completed',
    });
  });
});
