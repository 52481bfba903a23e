import type { JsonObject } from '../../entities/json.js';
import { AppError } from '../../errors.js';
import type { WaitStep } from '../definition/step-types.js';
import type { StepHandler, StepOutcome, StepRunContext } from './types.js';

function recordedWakeAt(ctx: StepRunContext): Date | undefined {
  const output = ctx.recorded?.output;
  const wakeAt = output && typeof output === 'object' && !Array.isArray(output) ? output['wakeAt'] : undefined;
  return typeof wakeAt === 'string' ? new Date(wakeAt) : undefined;
}

function timerWakeAt(step: WaitStep, ctx: StepRunContext): Date {
  if (step.seconds !== undefined) return new Date(ctx.now.getTime() + step.seconds * 1000);
  const until = ctx.resolve(step.until ?? null, `$.${step.name}.until`);
  const wakeAt = typeof until === 'string' ? new Date(until) : undefined;
  if (!wakeAt || Number.isNaN(wakeAt.getTime())) {
    throw new AppError('VALIDATION', `step ${step.name}: until resolved to ${JSON.stringify(until)}, not an ISO-8601 date-time`);
  }
  return wakeAt;
}

/**
 * Waits for a duration, until a time, or for an event. Holds no worker: the run is parked and woken by
 * a delayed job (timer, timeout) or by the delivery of a matching event.
 */
export const waitStep: StepHandler<WaitStep> = {
  async run(step, ctx): Promise<StepOutcome> {
    try {
      if (!step.event) {
        const wakeAt = recordedWakeAt(ctx) ?? timerWakeAt(step, ctx);
        if (ctx.now >= wakeAt) return { kind: 'completed', output: { waitedUntil: wakeAt.toISOString() } };
        return { kind: 'waiting', until: wakeAt, output: { wakeAt: wakeAt.toISOString() } };
      }

      const event = step.event;
      const wait = ctx.eventWait();
      if (!wait) {
        const expiresAt = event.timeoutSeconds === undefined ? undefined : new Date(ctx.now.getTime() + event.timeoutSeconds * 1000);
        const output: JsonObject = { waitingFor: event.name, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) };
        return {
          kind: 'waiting',
          output,
          ...(expiresAt ? { until: expiresAt } : {}),
          wait: {
            eventName: event.name,
            ...(event.match ? { match: event.match } : {}),
            ...(expiresAt ? { expiresAt } : {}),
            ...(event.since ? { since: event.since } : {}),
          },
        };
      }
      if (wait.resolvedAt) {
        return {
          kind: 'completed',
          output: { eventId: wait.resolvedEventId ?? null, event: wait.resolvedPayload ?? {}, receivedAt: wait.resolvedAt.toISOString() },
        };
      }
      if (wait.expiresAt && ctx.now >= wait.expiresAt) {
        if (event.onTimeout === 'continue') return { kind: 'completed', output: { timedOut: true } };
        return {
          kind: 'failed',
          error: { code: 'TIMEOUT', message: `no ${event.name} event arrived within ${event.timeoutSeconds} s`, retryable: false },
        };
      }
      return { kind: 'waiting', ...(wait.expiresAt ? { until: wait.expiresAt } : {}) };
    } catch (error) {
      return { kind: 'failed', error: ctx.recordError(error) };
    }
  },
};
