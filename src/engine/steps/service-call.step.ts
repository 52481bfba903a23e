import type { EntityManager } from '@mikro-orm/postgresql';
import type { JsonObject, JsonValue } from '../../entities/json.js';
import type { ServiceCallContext } from '../../services/registry.js';
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
export async function callService(ref: ServiceReference, ctx: StepRunContext, idempotencyKey: string, paramsPath: string): Promise<StepOutcome> {
  let params: JsonObject = {};
  try {
    params = ctx.resolve(ref.params ?? {}, paramsPath) as JsonObject;
    const method = ctx.services.resolve(ref.service, ref.method);
    const undoes = undoneKey(idempotencyKey);
    // The EntityManager is made when the method first uses it: forking one for every call of a method
    // that never touches the database cost more CPU than the rest of the call.
    const callContext = (entityManager: () => EntityManager): ServiceCallContext => {
      let em: EntityManager | undefined;
      return {
        get em() {
          return (em ??= entityManager());
        },
        tenantId: ctx.tenantId,
        idempotencyKey,
        ...(undoes ? { undoes } : {}),
        now: ctx.now,
        signal: ctx.signal,
      };
    };
    const call = (em: () => EntityManager): Promise<JsonValue> => ctx.services.call(ref.service, ref.method, callContext(em), params);
    if (method?.effects === 'local') return await ctx.runInStepTransaction((em) => call(() => em), params);
    return { kind: 'completed', output: await call(() => ctx.forkEntityManager()), input: params };
  } catch (error) {
    if (error instanceof LeaseLostError) throw error;
    return { kind: 'failed', error: ctx.recordError(error), input: params };
  }
}

export const serviceCallStep: StepHandler<ServiceCallStep> = {
  run: (step, ctx) => callService(step, ctx, `${ctx.executionId}:${step.name}`, `$.${step.name}.params`),
};
