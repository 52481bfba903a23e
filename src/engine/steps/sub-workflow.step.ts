import type { JsonObject } from '../../entities/json.js';
import { assertNever, type SubWorkflowStep } from '../definition/step-types.js';
import { LeaseLostError } from '../runtime/errors.js';
import type { StepHandler } from './types.js';

/**
 * Starts a child run (once per attempt) and waits for it; its result is this step's output. A new attempt
 * (a retry of the step, or of the run) after a child that failed or was cancelled starts a new child: the
 * failed one is kept, and only resuming the attempt that started it reports its end.
 */
export const subWorkflowStep: StepHandler<SubWorkflowStep> = {
  async run(step, ctx) {
    try {
      const child = ctx.childExecution();
      const ended = child !== undefined && (child.status === 'failed' || child.status === 'cancelled');
      if (!child || (ended && !ctx.resuming)) {
        const input = ctx.resolve(step.input ?? {}, `$.${step.name}.input`) as JsonObject;
        const generation = child?.startedByStep ?? 0;
        const id = await ctx.startChildExecution({
          workflow: step.workflow,
          version: step.version,
          input,
          generation,
        });
        return { kind: 'waiting', output: { childExecutionId: id }, input };
      }
      switch (child.status) {
        case 'completed':
          return { kind: 'completed', output: child.result ?? null };
        case 'failed':
        case 'cancelled':
          return {
            kind: 'failed',
            error: child.error ?? {
              code: 'SUB_WORKFLOW_FAILED',
              message: `sub-workflow ${step.workflow} (${child.id}) ended ${child.status}`,
              retryable: false,
            },
          };
        case 'queued':
        case 'pending':
        case 'running':
        case 'waiting':
        case 'paused':
          return { kind: 'waiting', output: { childExecutionId: child.id } };
        default:
          return assertNever(child.status, 'child execution status');
      }
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      return { kind: 'failed', error: ctx.recordError(error) };
    }
  },
};
