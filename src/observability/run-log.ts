import type { EngineObserver, RunRef } from '../engine/ports.js';
import type { Logger } from '../logger.js';

/**
 * One log line per change of a run's state: started, taken over, parked, resumed, a step failed or
 * retrying, a step compensated, ended with its duration. Each carries the execution id, workflow and tenant, so one run's story can
 * be read (or grepped) from the log. Step starts and successes stay at debug: they are the bulk. A run
 * started by an API request names it (`requestId`); with tracing on, each line names the trace of the
 * run's segment (`traceId`, the caller's when the run was started from a traced request).
 */
export function createRunLog(logger: Logger, options: { traceId?: () => string | undefined } = {}): EngineObserver {
  const log = logger.child({ component: 'engine' });
  const { traceId } = options;
  // The run's ids first, then `extra` (not `{ ...ids(run), … }`: with-fields.ts says why).
  const ids = (run: RunRef, extra: Record<string, unknown> = {}) => {
    const fields: Record<string, unknown> = { executionId: run.executionId, workflow: run.workflow, tenantId: run.tenantId, ...extra };
    if (run.requestId) fields['requestId'] = run.requestId;
    const trace = traceId?.();
    if (trace) fields['traceId'] = trace;
    return fields;
  };
  return {
    executionStarted: (run) => log.info(ids(run, { trigger: run.trigger }), `run started: ${run.workflow}`),
    leaseTakenOver: (run) => log.info(ids(run), `run taken over: ${run.workflow}`),
    executionResumed: (run) => log.info(ids(run), `run resumed: ${run.workflow}`),
    executionClaimed: () => undefined,
    executionParked: (run) =>
      log.info(
        ids(run, { status: run.status, ...(run.wakeAt ? { wakeAt: run.wakeAt.toISOString() } : {}) }),
        `run ${run.status === 'paused' ? 'paused' : 'waiting'}: ${run.workflow}`,
      ),
    executionFinished(run) {
      const fields = ids(run, {
        status: run.status,
        ...(run.seconds === undefined ? {} : { seconds: run.seconds }),
        ...(run.code ? { code: run.code } : {}),
      });
      if (run.status === 'completed') log.info(fields, `run completed: ${run.workflow}`);
      else log.warn(fields, `run ${run.status}: ${run.workflow}${run.code ? ` (${run.code})` : ''}`);
    },
    // Debug lines are the bulk: their fields are built only when debug is on.
    stepStarted: (step) => {
      if (log.isLevelEnabled('debug')) log.debug(ids(step, { step: step.step, attempt: step.attempt }), `step started: ${step.step}`);
    },
    stepEnded(step) {
      if ((step.end === 'completed' || step.end === 'skipped') && !log.isLevelEnabled('debug')) return;
      const fields = ids(step, {
        step: step.step,
        attempt: step.attempt,
        end: step.end,
        ...(step.code ? { code: step.code } : {}),
        ...(step.seconds === undefined ? {} : { seconds: step.seconds }),
      });
      if (step.end === 'failed') log.warn(fields, `step failed: ${step.step} (${step.code ?? 'no code'}, attempt ${step.attempt})`);
      else if (step.end === 'retrying')
        log.info(fields, `step will retry: ${step.step} (${step.code ?? 'no code'}, attempt ${step.attempt})`);
      else log.debug(fields, `step ${step.end}: ${step.step}`);
    },
    stepCompensated(step) {
      const fields = ids(step, { step: step.step, compensation: step.status, ...(step.code ? { code: step.code } : {}) });
      if (step.status === 'completed') log.info(fields, `step compensated: ${step.step}`);
      else log.warn(fields, `compensation failed: ${step.step} (${step.code ?? 'no code'})`);
    },
    checkpointCommitted: () => undefined,
    eventDispatched: () => undefined,
    scheduleFired: () => undefined,
  };
}
