import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { RequestContext } from '../../context.js';
import { AppError, coerceError } from '../../errors.js';
import { actorOfViewer, stageAuditRecord, writeAuditRecord, type AuditActor } from './audit-log.js';

/** What a mutation's record says besides who asked and how it ended. */
export interface AuditSpec {
  operation: string;
  targetType: string;
  /** The argument holding the target's id when it is known before the mutation runs (`id`, `name`). */
  targetArg?: string;
  /** Where the target's id is in the result when it is not the result's own `id` (`apiKey.id`). */
  resultTarget?: string;
  /**
   * `true` (the default): the record is written in one transaction with the mutation's own writes
   * through `ctx.em`, which the middleware opens around the resolver. `false`: for a change committed
   * elsewhere (the engine's own transactions), the record follows its commit.
   */
  sameTransaction?: boolean;
}

/** What a resolver may tell its record: the target made, or the actor and tenant of a public mutation. */
export interface AuditNote {
  targetId?: string;
  tenantId?: string | null;
  actor?: AuditActor;
  /** Runs once the mutation's writes are committed (never when they roll back). */
  afterCommit?: () => void;
}

const notes = new WeakMap<RequestContext, AuditNote>();
/** Root mutation fields with a record, by name: the auth checker records their refusals too. */
const audited = new Map<string, AuditSpec>();

export function auditedMutation(fieldName: string): AuditSpec | undefined {
  return audited.get(fieldName);
}

/** From inside an audited resolver: fills in what only it knows. */
export function noteAudit(ctx: RequestContext, note: AuditNote): void {
  notes.set(ctx, { ...notes.get(ctx), ...note });
}

function codeOf(error: unknown): string {
  if (error instanceof AppError) return error.code;
  if (error instanceof GraphQLError && typeof error.extensions['code'] === 'string') return error.extensions['code'];
  return 'INTERNAL_SERVER_ERROR';
}

function at(value: unknown, path: string | undefined): unknown {
  if (!path) return value;
  return path.split('.').reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), value);
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string') return value.id;
  return undefined;
}

/** The record of a refused or failed mutation, after its own transaction rolled back. Never hides the original error. */
export async function recordRefusal(ctx: RequestContext, spec: AuditSpec, args: Record<string, unknown>, error: unknown): Promise<void> {
  const note = notes.get(ctx) ?? {};
  try {
    await writeAuditRecord(ctx.em, {
      tenantId: note.tenantId !== undefined ? note.tenantId : (ctx.viewer?.tenantId ?? null),
      actor: note.actor ?? actorOfViewer(ctx.viewer),
      operation: spec.operation,
      targetType: spec.targetType,
      targetId: note.targetId ?? (spec.targetArg ? idOf(args[spec.targetArg]) : undefined),
      requestId: ctx.requestId,
      outcome: codeOf(error),
    });
  } catch (failure) {
    ctx.logger.error({ err: coerceError(failure), operation: spec.operation }, 'audit record of a refusal not written');
  }
}

async function rollbackQuietly(em: EntityManager): Promise<void> {
  try {
    await em.rollback();
  } catch {
    // The connection failed with the transaction; nothing is left to undo.
  }
}

function middleware(spec: AuditSpec): MiddlewareFn<RequestContext> {
  return async ({ context: ctx, args }, next) => {
    notes.delete(ctx);
    const sameTransaction = spec.sameTransaction ?? true;
    const em = ctx.em;
    if (sameTransaction) await em.begin();
    let result: unknown;
    try {
      result = await next();
      const note = notes.get(ctx) ?? {};
      const entry = {
        tenantId: note.tenantId !== undefined ? note.tenantId : (ctx.viewer?.tenantId ?? null),
        actor: note.actor ?? actorOfViewer(ctx.viewer),
        operation: spec.operation,
        targetType: spec.targetType,
        targetId: note.targetId ?? idOf(at(result, spec.resultTarget)) ?? (spec.targetArg ? idOf(args[spec.targetArg]) : undefined),
        requestId: ctx.requestId,
        outcome: 'ok',
      };
      if (sameTransaction) {
        stageAuditRecord(em, entry);
        await em.commit();
      } else {
        await writeAuditRecord(em, entry);
      }
      note.afterCommit?.();
    } catch (error) {
      if (sameTransaction) await rollbackQuietly(em);
      await recordRefusal(ctx, spec, args, error);
      throw error;
    }
    return result;
  };
}

/**
 * `@Audited({ operation: 'user.create', targetType: 'user' })` on a root mutation: one record per call,
 * `ok` in the mutation's transaction, or the error code it ended with (its writes rolled back). A
 * refusal by the permission check (FORBIDDEN) is recorded by the auth checker.
 */
export function Audited(spec: AuditSpec): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    audited.set(String(propertyKey), spec);
    UseMiddleware(middleware(spec))(target, propertyKey, descriptor);
  };
}
