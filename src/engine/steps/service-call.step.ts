import type { JsonObject } from '../../entities/json.js';
import type { ServiceCallStep, ServiceReference } from '../definition/step-types.js';
import { LeaseLostError } from '../runtime/errors.js';
import type { StepHandler, StepOutcome, StepRunContext } from './types.js';

/** A compensation is called with `<key of the call it undoes>:compensate` (see runtime/executor.ts). */
const COMPENSATION_SUFFIX = ':compensate';

/**
 * The idempotency key of the call that the call keyed `idempotencyKey` undoes, when it is a
 * compensation: `<executionId>:<step>:compensate` undoes `<executionId>:<step>`.
 */
export function undoneKey(idempotencyKey: string): string | undefined {
  if (!idempotencyKey.endsWith(COMPENSATION_SUFFIX)) return undefined;
  const undone = idempotencyKey.slice(0, -COMPENSATION_SUFFIX.length);
  return undone.includes(':') ? undone : undefined;
}

/**
 * Calls a domain service method. A method with local effects runs inside the transaction that
 * checkpoints the step; others run on their own, with the idempotency key `<executionId>:<key>`. A
 * compensation's call says which call it undoes (`undoes`), so that the services retire that call's
 * idempotency records: the step, run again after a retry, does its work again.
 */
export async function callService(
  ref: ServiceReference,
  ctx: StepRunContext,
  idempotencyKey: string,
  paramsPath: string,
): Promise<StepOutcome> {
  let params: JsonObject = {};
  try {
    params = ctx.resolve(ref.params ?? {}, paramsPath) as JsonObject;
    const undoes = undoneKey(idempotencyKey);
    const call = { service: ref.service, method: ref.method, params, idempotencyKey, ...(undoes ? { undoes } : {}) };
    if (ctx.services.effectsOf(ref.service, ref.method) === 'local') return await ctx.services.callInStepTransaction(call);
    return { kind: 'completed', output: await ctx.services.call(call), input: params };
  } catch (error) {
    if (error instanceof LeaseLostError) throw error;
    return { kind: 'failed', error: ctx.recordError(error), input: params };
  }
}

export const serviceCallStep: StepHandler<ServiceCallStep> = {
  run: (step, ctx) => callService(step, ctx, `${ctx.executionId}:${step.name}`, `$.${step.name}.params`),
};
