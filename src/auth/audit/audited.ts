import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { RequestContext } from '../../context.js';
import { AppError, coerceError } from '../../errors.js';
import type { OperationOptions } from '../../engine/index.js';
import { clockOf } from '../clock.js';
import { actorOfViewer, appendAuditRecord, appendAuditRecordIn, writeAuditRecord, type AuditActor, type AuditEntry } from './audit-log.js';

/** What a mutation's record says besides who asked and how it ended. */
export interface AuditSpec {
  operation: string;
  targetType: string;
  /** The argument holding the target's id when it is known before the mutation runs (`id`, `name`). */
  targetArg?: string;
  /** Where the target's id is in the result when it is not the result's own `id` (`apiKey.id`). */
  resultTarget?: string;
  /**
   * Whose transaction the record is written in — always the change's own, so that it commits with the
   * change or not at all. `request` (the default): the middleware opens one on `ctx.em` around the
   * resolver, whose writes go through it (a tenant transaction inside joins it as a savepoint).
   * `engine`: the engine commits the change in a transaction of its own; the resolver hands the engine
   * call `auditInOperation(ctx)`, which writes the record there, told the run and workflow version.
   */
  transaction?: 'request' | 'engine';
}

/** What a resolver may tell its record: the target made, or the actor and tenant of a public mutation. */
export interface AuditNote {
  targetId?: string;
  tenantId?: string | null;
  actor?: AuditActor;
  /** Runs once the mutation's writes are committed (never when they roll back). */
  afterCommit?: () => void;
}

interface InFlight {
  spec: AuditSpec;
  args: Record<string, unknown>;
  /** The engine wrote the record in its transaction (which then committed, or the call threw). */
  written: boolean;
}

const notes = new WeakMap<RequestContext, AuditNote>();
/** The audited mutation a context is running (one at a time: root mutations run in sequence). */
const inFlight = new WeakMap<RequestContext, InFlight>();
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
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined),
      value,
    );
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string') return value.id;
  return undefined;
}

/** The record of one call: who, what, on what (`targetId`, else the argument naming it), how it ended. */
function entryOf(
  ctx: RequestContext,
  spec: AuditSpec,
  args: Record<string, unknown>,
  outcome: string,
  found: Partial<AuditEntry> = {},
): AuditEntry {
  const note = notes.get(ctx) ?? {};
  return {
    tenantId: note.tenantId !== undefined ? note.tenantId : (ctx.viewer?.tenantId ?? null),
    actor: note.actor ?? actorOfViewer(ctx.viewer),
    operation: spec.operation,
    targetType: spec.targetType,
    targetId: note.targetId ?? found.targetId ?? (spec.targetArg ? idOf(args[spec.targetArg]) : undefined),
    requestId: ctx.requestId,
    outcome,
    workflowId: found.workflowId,
    workflowVersion: found.workflowVersion,
  };
}

/**
 * For an audited mutation declared `transaction: 'engine'`: pass this to the engine call that makes
 * the change. The record is written in the engine's transaction, after the change's writes.
 */
export function auditInOperation(ctx: RequestContext): Required<OperationOptions> {
  const running = inFlight.get(ctx);
  if (!running || running.spec.transaction !== 'engine')
    throw new Error("auditInOperation outside a mutation audited in the engine's transaction");
  return {
    inTransaction: async (db, facts) => {
      await appendAuditRecord(
        db,
        clockOf(ctx.em),
        entryOf(ctx, running.spec, running.args, 'ok', {
          targetId: facts.executionId ?? facts.workflowId,
          workflowId: facts.workflowId,
          workflowVersion: facts.version,
        }),
      );
      running.written = true;
    },
  };
}

/** The record of a refused or failed mutation, after its own transaction rolled back. Never hides the original error. */
export async function recordRefusal(ctx: RequestContext, spec: AuditSpec, args: Record<string, unknown>, error: unknown): Promise<void> {
  try {
    await writeAuditRecord(ctx.em, entryOf(ctx, spec, args, codeOf(error)));
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
    const running: InFlight = { spec, args, written: false };
    inFlight.set(ctx, running);
    const inRequest = (spec.transaction ?? 'request') === 'request';
    const em = ctx.em;
    if (inRequest) await em.begin();
    try {
      const result: unknown = await next();
      const entry = entryOf(ctx, spec, args, 'ok', { targetId: idOf(at(result, spec.resultTarget)) });
      if (inRequest) {
        await em.flush();
        await appendAuditRecordIn(em, entry);
        await em.commit();
      } else if (!running.written) {
        // A resolver that did not hand the engine its record: written after the commit rather than lost.
        ctx.logger.error({ operation: spec.operation }, 'audited engine operation ran without auditInOperation');
        await writeAuditRecord(em, entry);
      }
      notes.get(ctx)?.afterCommit?.();
      return result;
    } catch (error) {
      if (inRequest) await rollbackQuietly(em);
      // Committed and recorded by the engine, then failed reading the result: the change stands as recorded.
      if (!running.written) await recordRefusal(ctx, spec, args, error);
      throw error;
    } finally {
      inFlight.delete(ctx);
    }
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
