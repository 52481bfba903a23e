import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import type { JsonValue } from '../entities/json.js';
import { ServiceCallRecord } from '../entities/service-call-record.entity.js';
import { AppError } from '../errors.js';

/**
 * The contract between the engine and the domain services. A definition's
 * `{ "service": "customer", "method": "createFromLead" }` names a ServiceMethod; the engine validates the
 * resolved params with `input`, then calls `run`.
 *
 * - `effects: 'local'`: the method's effects are rows in our database. It runs inside the transaction
 *   that checkpoints the step (`ctx.em` is bound to it), so effect and checkpoint commit together or not
 *   at all. Never commit, never open another transaction, never call anything outside the database.
 * - `effects: 'external'`: it reaches a system outside (over an outbox or with `ctx.idempotencyKey`,
 *   which the other side uses to deduplicate). It may run again after a crash.
 * - `effects: 'none'`: a pure computation or a read.
 * - Failures are AppErrors with a code (NOT_FOUND, INVALID_STATE, …); `retryable` decides retries.
 * - The result is plain JSON (camelCase keys); money in integer minor units.
 */
export type ServiceEffects = 'none' | 'local' | 'external';

export interface ServiceCallContext {
  /** For 'local' methods, bound to the step's transaction. */
  readonly em: EntityManager;
  readonly tenantId: string;
  /** `<executionId>:<stepKey>`: the same key is the same call. */
  readonly idempotencyKey: string;
  /**
   * Set when this call is a compensation: the idempotency key of the call it undoes. That call's
   * records by key are retired (the registry's own, and a method's own where it keeps any), so the
   * same key, called again after a retry, does the work again instead of answering what was undone.
   */
  readonly undoes?: string;
  readonly now: Date;
  /** Aborted when the step times out or the worker loses its lease. */
  readonly signal: AbortSignal;
}

export interface ServiceMethod<I = unknown, O extends JsonValue = JsonValue> {
  readonly service: string;
  readonly method: string;
  readonly description: string;
  readonly effects: ServiceEffects;
  readonly input: z.ZodType<I>;
  /**
   * What it answers, where later steps read it: the fields they may rely on (a loose object: it may answer
   * more). A dry run checks a mocked answer against it (simulateWorkflow), so a mock cannot promise what
   * the method never gives.
   */
  readonly output?: z.ZodType;
  run(ctx: ServiceCallContext, input: I): Promise<O>;
}

/** Declares a method with its input type inferred from its schema. */
export function defineServiceMethod<I, O extends JsonValue>(method: ServiceMethod<I, O>): ServiceMethod<I, O> {
  return method;
}

export interface ServiceRegistry {
  /** Accepts our names (`customer`, `createFromLead`) and the seeds' (`customer_service`, `create_from_lead`). */
  resolve(service: string, method: string): ServiceMethod | undefined;
  list(): readonly ServiceMethod[];
  /**
   * Validates `params` (keys in camelCase or the seeds' snake_case) and calls the method. A 'local' method
   * called again with the same idempotency key returns its first result and changes nothing — unless a
   * compensation (`ctx.undoes`) retired that result in between.
   */
  call(service: string, method: string, ctx: ServiceCallContext, params: Record<string, unknown>): Promise<JsonValue>;
}

const snakeToCamel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, char: string) => char.toUpperCase());

export function canonicalServiceName(service: string): string {
  return snakeToCamel(service.replace(/_service$/, ''));
}

export function canonicalMethodName(method: string): string {
  return snakeToCamel(method);
}

function camelCaseKeys(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [snakeToCamel(key), value]));
}

/** `value` against `schema`: each problem as `path: message` (`(root)` for the value itself); none when it fits. */
export function problemsOf(schema: z.ZodType, value: unknown, root = '(params)'): string[] {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || root}: ${issue.message}`);
}

/** Params as a method's input schema sees them: keys in camelCase (the seeds write snake_case). */
export function methodParams(params: Record<string, unknown>): Record<string, unknown> {
  return camelCaseKeys(params);
}

/**
 * `checkOutputs`: every answer of a method that declares an `output` is checked against it, and one
 * outside it fails the call (INTERNAL) — so the declarations dry runs trust are proved by every test and
 * development run that calls the method. Off in production, where a drifted declaration must not fail runs.
 */
export function createServiceRegistry(methods: readonly ServiceMethod[], options: { checkOutputs?: boolean } = {}): ServiceRegistry {
  const byName = new Map<string, ServiceMethod>();
  for (const method of methods) {
    const name = `${method.service}.${method.method}`;
    if (byName.has(name)) throw new Error(`service method ${name} is registered twice`);
    byName.set(name, method);
  }
  // Names as definitions write them, kept once resolved (the canonical forms are regex work on every step's
  // call); a name that resolves to nothing is not kept, so unknown names cannot grow the map.
  const resolved = new Map<string, ServiceMethod>();
  const resolve = (service: string, method: string) => {
    const written = `${service}\u0000${method}`;
    const known = resolved.get(written);
    if (known) return known;
    const found = byName.get(`${canonicalServiceName(service)}.${canonicalMethodName(method)}`);
    if (found) resolved.set(written, found);
    return found;
  };
  const answered = (target: ServiceMethod, result: JsonValue): JsonValue => {
    if (!options.checkOutputs || !target.output) return result;
    const problems = problemsOf(target.output, result, '(output)');
    if (problems.length > 0)
      throw new AppError(
        'INTERNAL_SERVER_ERROR',
        `${target.service}.${target.method} answered outside its declared output: ${problems.join('; ')}`,
      );
    return result;
  };

  return {
    resolve,
    list: () => [...byName.values()],
    async call(service, method, ctx, params) {
      const target = resolve(service, method);
      if (!target) throw new AppError('VALIDATION', `unknown service method ${service}.${method}`);
      const parsed = target.input.safeParse(camelCaseKeys(params));
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(params)'}: ${issue.message}`);
        throw new AppError('VALIDATION', `${target.service}.${target.method}: ${problems.join('; ')}`, { details: { problems } });
      }
      if (ctx.undoes !== undefined) return compensate(target, ctx, ctx.undoes, parsed.data);
      if (target.effects !== 'local') return answered(target, await target.run(ctx, parsed.data));

      const name = `${target.service}.${target.method}`;
      const previous = await ctx.em.findOne(ServiceCallRecord, {
        tenantId: ctx.tenantId,
        idempotencyKey: ctx.idempotencyKey,
        method: name,
      });
      if (previous) return previous.result;
      const result = answered(target, await target.run(ctx, parsed.data));
      ctx.em.create(ServiceCallRecord, { tenantId: ctx.tenantId, idempotencyKey: ctx.idempotencyKey, method: name, result });
      await ctx.em.flush();
      return result;
    },
  };
}

/**
 * A compensation runs (it is never answered from a record: a local one commits with the checkpoint that
 * marks the step compensated, so the engine never calls it twice for one completion), then retires the
 * records of the call it undid, in the same transaction when it is local. Retiring rather than a new
 * key per attempt keeps the engine's keys as they are: `<executionId>:<step>` stays the one identity
 * of a step's call that outside systems deduplicate on, and only an undo makes it callable afresh.
 */
async function compensate(target: ServiceMethod, ctx: ServiceCallContext, undone: string, params: unknown): Promise<JsonValue> {
  const result = await target.run(ctx, params);
  await ctx.em.nativeDelete(ServiceCallRecord, { tenantId: ctx.tenantId, idempotencyKey: undone });
  return result;
}
