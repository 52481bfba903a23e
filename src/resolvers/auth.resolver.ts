import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Requires } from '../auth/auth-checker.js';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import type { TenantSummary } from '../auth/auth-service.js';
import { LoginPayloadType, TenantType, ViewerType } from '../schema/types/auth.type.js';

export function toTenantType(tenant: TenantSummary): TenantType {
  return { id: tenant.id, slug: tenant.slug, name: tenant.name };
}

function toViewerType(viewer: Viewer, tenant: TenantSummary): ViewerType {
  return {
    kind: viewer.kind,
    id: viewer.kind === 'user' ? viewer.userId : viewer.apiKeyId,
    name: viewer.kind === 'user' ? viewer.email : viewer.name,
    role: viewer.kind === 'user' ? viewer.role : null,
    tenant: toTenantType(tenant),
    permissions: [...viewer.permissions],
    expiresAt: viewer.expiresAt ?? null,
  };
}

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginPayloadType, { description: 'A short-lived token for an e-mail and password; UNAUTHENTICATED "invalid e-mail or password" otherwise.' })
  async login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() ctx: RequestContext): Promise<LoginPayloadType> {
    const { token, expiresAt, viewer } = await ctx.auth.login(email, password);
    return { token, expiresAt, viewer: toViewerType(viewer, await ctx.auth.tenantOf(viewer)) };
  }

  @Requires()
  @Query(() => ViewerType, { description: 'Who is asking: the user or API key, its tenant and its permissions.' })
  async me(@Ctx() ctx: RequestContext): Promise<ViewerType> {
    const viewer = requireViewer(ctx.viewer);
    return toViewerType(viewer, await ctx.auth.tenantOf(viewer));
  }
}
