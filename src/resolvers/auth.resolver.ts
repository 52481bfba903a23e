import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Requires } from '../auth/auth-checker.js';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import { LoginRefusedError, type LoginResult, type TenantSummary } from '../auth/auth-service.js';
import { writeAuditRecord } from '../auth/audit/audit-log.js';
import { coerceError } from '../errors.js';
import { LoginPayloadType, TenantType, ViewerType } from '../schema/types/auth.type.js';

export function toTenantType(tenant: TenantSummary): TenantType {
  return {
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    suspended: Boolean(tenant.suspendedAt),
    concurrencyLimit: tenant.concurrencyLimit ?? null,
  };
}

function toViewerType(viewer: Viewer, tenant: TenantSummary): ViewerType {
  return {
    kind: viewer.kind,
    id: viewer.kind === 'user' ? viewer.userId : viewer.apiKeyId,
    name: viewer.kind === 'user' ? viewer.email : viewer.name,
    role: viewer.kind === 'user' ? viewer.role : null,
    platformAdmin: viewer.kind === 'user' && viewer.platformAdmin,
    tenant: toTenantType(tenant),
    permissions: [...viewer.permissions],
    expiresAt: viewer.expiresAt ?? null,
  };
}

/** A session's answer: its token and who it is (`login`, `changePassword`). */
export async function loginPayload(ctx: RequestContext, session: LoginResult): Promise<LoginPayloadType> {
  return {
    token: session.token,
    expiresAt: session.expiresAt,
    viewer: toViewerType(session.viewer, await ctx.auth.tenantOf(session.viewer)),
  };
}

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginPayloadType, {
    description: 'A short-lived token for an e-mail and password; UNAUTHENTICATED "invalid e-mail or password" otherwise.',
  })
  async login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() ctx: RequestContext): Promise<LoginPayloadType> {
    try {
      const session = await ctx.auth.login(email, password);
      const { viewer } = session;
      await recordSignIn(ctx, { tenantId: viewer.tenantId, userId: viewer.userId, email: viewer.email }, 'ok');
      return await loginPayload(ctx, session);
    } catch (error) {
      // A refused sign-in is recorded with the account it named, or with the e-mail tried and no tenant.
      if (error instanceof LoginRefusedError)
        await recordSignIn(ctx, error.account ?? { tenantId: null, userId: null, email: email.trim().toLowerCase() }, error.code);
      throw error;
    }
  }

  @Requires()
  @Query(() => ViewerType, { description: 'Who is asking: the user or API key, its tenant and its permissions.' })
  async me(@Ctx() ctx: RequestContext): Promise<ViewerType> {
    const viewer = requireViewer(ctx.viewer);
    return toViewerType(viewer, await ctx.auth.tenantOf(viewer));
  }
}

/** `session.signIn` in the audit log, in a transaction of its own; a failure to write it is logged, not shown. */
async function recordSignIn(
  ctx: RequestContext,
  account: { tenantId: string | null; userId: string | null; email: string },
  outcome: string,
): Promise<void> {
  await writeAuditRecord(ctx.em, {
    tenantId: account.tenantId,
    actor: account.userId
      ? { kind: 'user', id: account.userId, name: account.email }
      : { kind: 'anonymous', id: null, name: account.email },
    operation: 'session.signIn',
    targetType: 'user',
    targetId: account.userId,
    requestId: ctx.requestId,
    outcome,
  }).catch((error: unknown) => ctx.logger.error({ err: coerceError(error) }, 'audit record of a sign-in not written'));
}
