import { Authorized, type AuthChecker } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { AppError } from '../errors.js';
import type { Permission } from './permissions.js';
import { auditedMutation, recordRefusal } from './audit/audited.js';
import { requireViewer } from './viewer.js';

/**
 * type-graphql calls this before every `@Requires(...)` field runs, subscriptions' subscribe included:
 * no viewer is UNAUTHENTICATED, a missing permission FORBIDDEN, and the resolver never starts.
 */
export const authChecker: AuthChecker<RequestContext, Permission> = ({ context, args, info }, permissions) => {
  const viewer = requireViewer(context.viewer);
  const missing = permissions.filter((permission) => !viewer.permissions.has(permission));
  if (missing.length === 0) return true;
  const refusal = new AppError('FORBIDDEN', `this needs the permission ${missing.join(', ')}`);
  // An audited mutation's refusal is recorded too (its payload is not).
  const audited = info.parentType.name === 'Mutation' ? auditedMutation(info.fieldName) : undefined;
  if (!audited) throw refusal;
  return recordRefusal(context, audited, args, refusal).then(() => {
    throw refusal;
  });
};

/** The permissions a root field needs (all of them); with none, any signed-in viewer. */
export function Requires(...permissions: Permission[]): MethodDecorator & PropertyDecorator & ClassDecorator {
  return Authorized<Permission>(...permissions);
}
