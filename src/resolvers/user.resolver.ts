import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Audited, noteAudit } from '../auth/audit/audited.js';
import { Requires } from '../auth/auth-checker.js';
import { clockOf } from '../auth/clock.js';
import { inTenantTransaction } from '../auth/tenant-scope.js';
import { requestPasswordReset } from '../auth/users/password-reset.js';
import {
  changePassword,
  createUser,
  listUsers,
  NO_PASSWORD,
  setPasswordWithToken,
  tenantForNewUser,
  updateUser,
} from '../auth/users/users.js';
import { requireViewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import type { User } from '../entities/user.entity.js';
import { LoginPayloadType } from '../schema/types/auth.type.js';
import { CreateUserInput, UpdateUserInput, UserType } from '../schema/types/user.type.js';
import { loginPayload } from './auth.resolver.js';

function toUserType(user: User): UserType {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    active: user.active,
    invitationPending: user.passwordHash === NO_PASSWORD,
    createdAt: user.createdAt,
  };
}

/** Whose the account is, for the record of a mutation made with a token rather than a sign-in. */
function noteAccount(ctx: RequestContext, user: User): void {
  noteAudit(ctx, { tenantId: user.tenant.id, targetId: user.id, actor: { kind: 'user', id: user.id, name: user.email } });
}

@Resolver(() => UserType)
export class UserResolver {
  @Requires('user:manage')
  @Query(() => [UserType], { description: "Your tenant's users." })
  async users(@Ctx() ctx: RequestContext): Promise<UserType[]> {
    const viewer = requireViewer(ctx.viewer);
    return (await inTenantTransaction(ctx.em, viewer.tenantId, (em) => listUsers(em, viewer))).map(toUserType);
  }

  @Requires('user:manage')
  @Audited({ operation: 'user.create', targetType: 'user' })
  @Mutation(() => UserType, {
    description:
      'A user of your tenant (the platform admin: of `input.tenant`). With a password (12+ characters) they sign in at once; without, an invitation e-mail carries a one-time token for `acceptInvitation`. CONFLICT when the e-mail is taken.',
  })
  async createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: RequestContext): Promise<UserType> {
    const viewer = requireViewer(ctx.viewer);
    const tenantId = await tenantForNewUser(ctx.em, viewer, input.tenant);
    const { user } = await inTenantTransaction(ctx.em, tenantId, (em) => createUser(em, clockOf(em), viewer, input, tenantId));
    // Recorded in the tenant that got the user: its admins see who added them.
    noteAudit(ctx, { tenantId });
    return toUserType(user);
  }

  @Requires('user:manage')
  @Audited({ operation: 'user.update', targetType: 'user', targetArg: 'id' })
  @Mutation(() => UserType, {
    description:
      'Renames, changes the role, (de)activates. INVALID_STATE for the last active admin of the tenant (neither deactivated nor demoted).',
  })
  async updateUser(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateUserInput) input: UpdateUserInput,
    @Ctx() ctx: RequestContext,
  ): Promise<UserType> {
    const viewer = requireViewer(ctx.viewer);
    const { user, accessChanged } = await inTenantTransaction(ctx.em, viewer.tenantId, (em) => updateUser(em, viewer, id, input));
    // At once in this process (tokens, websockets), once committed; in the others within seconds.
    if (accessChanged) noteAudit(ctx, { afterCommit: () => ctx.auth.accountChanged(user.id) });
    return toUserType(user);
  }

  @Requires()
  @Audited({ operation: 'user.changePassword', targetType: 'user' })
  @Mutation(() => LoginPayloadType, {
    description:
      'Your own password; FORBIDDEN when `currentPassword` is wrong. Every session of yours ends (tokens issued before are refused, websockets closed): the answer is a new token for this one.',
  })
  async changePassword(
    @Arg('currentPassword') currentPassword: string,
    @Arg('newPassword') newPassword: string,
    @Ctx() ctx: RequestContext,
  ): Promise<LoginPayloadType> {
    const viewer = requireViewer(ctx.viewer);
    const user = await inTenantTransaction(ctx.em, viewer.tenantId, (em) => changePassword(em, viewer, currentPassword, newPassword));
    // Its sessions ended with the change: this process forgets them at once and closes their websockets.
    noteAudit(ctx, { targetId: user.id, afterCommit: () => ctx.auth.accountChanged(user.id) });
    // Signed in the new generation: valid once the change commits (refused should it roll back).
    return loginPayload(ctx, await ctx.auth.startSession(user));
  }

  @Audited({ operation: 'user.acceptInvitation', targetType: 'user' })
  @Mutation(() => UserType, {
    description: "Sets the invited user's password with the invitation's one-time token; then they sign in with `login`.",
  })
  async acceptInvitation(@Arg('token') token: string, @Arg('password') password: string, @Ctx() ctx: RequestContext): Promise<UserType> {
    const user = await ctx.em.transactional((em) => setPasswordWithToken(em, clockOf(em), token, password, 'invitation'));
    noteAccount(ctx, user);
    return { ...toUserType(user), invitationPending: false };
  }

  @Audited({ operation: 'user.requestPasswordReset', targetType: 'user' })
  @Mutation(() => Boolean, {
    description: 'E-mails a one-time reset token to an active user with this e-mail. Answers true whether there is one or not.',
  })
  async requestPasswordReset(@Arg('email') email: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    const user = await ctx.em.transactional((em) => requestPasswordReset(em, clockOf(em), email));
    if (user) noteAccount(ctx, user);
    return true;
  }

  @Audited({ operation: 'user.resetPassword', targetType: 'user' })
  @Mutation(() => Boolean, {
    description:
      "Sets a new password with a reset token (single use, valid for an hour). The user's other sessions end: their tokens are refused and their websockets closed.",
  })
  async resetPassword(@Arg('token') token: string, @Arg('password') password: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    const user = await ctx.em.transactional((em) => setPasswordWithToken(em, clockOf(em), token, password, 'password_reset'));
    noteAccount(ctx, user);
    // Its sessions ended with the reset: this process forgets them at once and closes their websockets.
    noteAudit(ctx, { afterCommit: () => ctx.auth.accountChanged(user.id) });
    return true;
  }
}
