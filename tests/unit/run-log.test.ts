import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger.js';
import { createRunLog } from '../../src/observability/run-log.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createRunLog(createLogger('info', stream)) };
}

const run = { workflow: 'isp_ticket_to_deployment', executionId: 'e-1', tenantId: 't-1' };

describe('the run log: one line per change of a run, with its ids', () => {
  it("tells a run's story at info, its failures at warn, and keeps step successes out", async () => {
    const { lines, log } = capture();
    log.executionStarted({ ...run, trigger: 'api' });
    log.stepStarted({ ...run, type: 'service_call', step: 'allocate', attempt: 1 });
    log.stepEnded({ ...run, type: 'service_call', step: 'allocate', attempt: 1, end: 'completed', code: undefined, seconds: 0.01 });
    log.stepEnded({
      ...run,
      type: 'service_call',
      step: 'provision',
      attempt: 1,
      end: 'retrying',
      code: 'EXTERNAL_UNAVAILABLE',
      seconds: 0.5,
    });
    log.executionParked({ ...run, status: 'waiting', wakeAt: new Date('2026-12-02T10:00:00Z') });
    log.executionResumed(run);
    log.stepEnded({
      ...run,
      type: 'service_call',
      step: 'provision',
      attempt: 2,
      end: 'failed',
      code: 'EXTERNAL_UNAVAILABLE',
      seconds: 0.5,
    });
    log.stepCompensated({ ...run, step: 'allocate', status: 'failed', code: 'EXTERNAL_UNAVAILABLE' });
    log.executionFinished({ ...run, status: 'failed', seconds: 12.5, code: 'EXTERNAL_UNAVAILABLE' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((line) => [line['level'], line['msg']])).toEqual([
      [30, 'run started: isp_ticket_to_deployment'],
      [30, 'step will retry: provision (EXTERNAL_UNAVAILABLE, attempt 1)'],
      [30, 'run waiting: isp_ticket_to_deployment'],
      [30, 'run resumed: isp_ticket_to_deployment'],
      [40, 'step failed: provision (EXTERNAL_UNAVAILABLE, attempt 2)'],
      [40, 'compensation failed: allocate (EXTERNAL_UNAVAILABLE)'],
      [40, 'run failed: isp_ticket_to_deployment (EXTERNAL_UNAVAILABLE)'],
    ]);
    for (const line of lines)
      expect(line).toMatchObject({ executionId: 'e-1', workflow: 'isp_ticket_to_deployment', tenantId: 't-1', component: 'engine' });
    expect(lines[2]).toMatchObject({ wakeAt: '2026-12-02T10:00:00.000Z' });
    expect(lines[6]).toMatchObject({ seconds: 12.5, status: 'failed' });
  });

  it('names the request that started the run and, traced, the trace the line belongs to', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    let traceId: string | undefined = '4bf92f3577b34da6a3ce929d0e0e4736';
    const log = createRunLog(createLogger('info', stream), { traceId: () => traceId });
    log.executionStarted({ ...run, requestId: 'req-7', trigger: 'api' });
    traceId = undefined;
    log.executionFinished({ ...run, status: 'completed', seconds: 1, code: undefined });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines[0]).toMatchObject({ executionId: 'e-1', requestId: 'req-7', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    expect(lines[1]).not.toHaveProperty('requestId');
    expect(lines[1]).not.toHaveProperty('traceId');
  });
});
