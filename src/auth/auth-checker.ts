import { Authorized, type AuthChecker } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { AppError } from '../errors.js';
import type { Permission } from './permissions.js';
import { auditedMutation, recordRefusal } from './audit/audited.js';
import { requireViewer, type Viewer } from './viewer.js';

/**
 * type-graphql calls this before every `@Requires(...)` field runs, subscriptions' subscribe included:
 * no viewer is UNAUTHENTICATED, a missing permission FORBIDDEN, and the resolver never starts.
 */
export const authChecker: AuthChecker<RequestContext, Permission> = ({ context, args, info }, permissions) => {
  const refusal = refusalFor(context.viewer, permissions);
  if (!refusal) return true;
  // An audited mutation's refusal is recorded too (its payload is not).
  const audited = info.parentType.name === 'Mutation' ? auditedMutation(info.fieldName) : undefined;
  if (!audited) throw refusal;
  return recordRefusal(context, audited, args, refusal).then(() => {
    throw refusal;
  });
};

/** UNAUTHENTICATED without a viewer; FORBIDDEN naming what it lacks; undefined when it may. */
function refusalFor(viewer: Viewer | undefined, permissions: readonly Permission[]): AppError | undefined {
  const { permissions: held } = requireViewer(viewer);
  const missing = permissions.filter((permission) => !held.has(permission));
  return missing.length === 0 ? undefined : new AppError('FORBIDDEN', `this needs the permission ${missing.join(', ')}`);
}

/**
 * `@Requires` as a plain call, for a field resolved once per row of a list (`Execution.workflow`):
 * type-graphql runs `@Requires` as an async middleware chain per field, which a 50-row list pays 50
 * times. The same refusal, thrown before the resolver reads anything.
 */
export function demand(ctx: RequestContext, ...permissions: Permission[]): Viewer {
  const refusal = refusalFor(ctx.viewer, permissions);
  if (refusal) throw refusal;
  return requireViewer(ctx.viewer);
}

/** The permissions a root field needs (all of them); with none, any signed-in viewer. */
export function Requires(...permissions: Permission[]): MethodDecorator & PropertyDecorator & ClassDecorator {
  return Authorized<Permission>(...permissions);
}
