import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { JsonObject, JsonValue } from '../../entities/json.js';
import type { Queryable } from '../../infra/queryable.js';
import type { ServiceCallContext, ServiceRegistry } from '../../services/registry.js';
import type { Clock } from '../ports.js';
import { LineageRecorder, type LineageScope } from './lineage-recorder.js';
import { forkWith, inSharedTransaction } from './transactions.js';

/**
 * Where a call's abort is read: its signal, and whether it was raised (without making a signal — the
 * runtime's AttemptAbort makes one only when asked, runtime/attempt-abort.ts).
 */
export interface AbortSource {
  readonly signal: AbortSignal;
  readonly aborted: boolean;
}

/** One call of a domain service method by a step. */
export interface ServiceCallRequest {
  service: string;
  method: string;
  params: JsonObject;
  /** `<executionId>:<step>`, a compensation's `…:compensate`. */
  idempotencyKey: string;
  /** A compensation's: the key of the call it undoes. */
  undoes?: string;
  now: Date;
  /** The attempt's abort: its signal is made only if the method asks for it. */
  abort: AbortSource;
}

/**
 * The database side of a step's service calls: the services work on MikroORM EntityManagers, which the
 * engine makes here and nowhere else. Every EntityManager made here records what it creates or changes
 * as the step's doing (lineage-recorder.ts).
 */
export interface ServiceCallStore {
  /** Calls the method on an EntityManager of its own, made when the method first uses it. */
  call(step: LineageScope, request: ServiceCallRequest): Promise<JsonValue>;
  /**
   * Calls the method in a transaction and then, on the same connection and before it commits,
   * `beforeCommit` with its output: what the method did and what `beforeCommit` writes commit together
   * or not at all.
   */
  callInTransaction(
    step: LineageScope,
    request: ServiceCallRequest,
    beforeCommit: (output: JsonValue, db: Queryable) => Promise<void>,
  ): Promise<JsonValue>;
}

export function createServiceCallStore(deps: { orm: MikroORM; services: ServiceRegistry; clock: Clock }): ServiceCallStore {
  const fork = (step: LineageScope) => forkWith(deps.orm, new LineageRecorder(step, deps.clock));
  const call = (step: LineageScope, request: ServiceCallRequest, entityManager: () => EntityManager): Promise<JsonValue> => {
    // The EntityManager is made when the method first uses it: forking one for every call of a method
    // that never touches the database cost more CPU than the rest of the call.
    let em: EntityManager | undefined;
    const context: ServiceCallContext = {
      get em() {
        return (em ??= entityManager());
      },
      tenantId: step.tenantId,
      idempotencyKey: request.idempotencyKey,
      ...(request.undoes ? { undoes: request.undoes } : {}),
      now: request.now,
      get signal() {
        return request.abort.signal;
      },
    };
    return deps.services.call(request.service, request.method, context, request.params);
  };
  return {
    call: (step, request) => call(step, request, () => fork(step)),
    callInTransaction: (step, request, beforeCommit) =>
      inSharedTransaction(fork(step), async (em, db) => {
        const output = await call(step, request, () => em);
        await beforeCommit(output, db);
        return output;
      }),
  };
}
