import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Requires } from '../auth/auth-checker.js';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import { Tenant } from '../entities/tenant.entity.js';
import { AppError } from '../errors.js';
import { LoginPayloadType, TenantType, ViewerType } from '../schema/types/auth.type.js';

export function toTenantType(tenant: Tenant): TenantType {
  return { id: tenant.id, slug: tenant.slug, name: tenant.name };
}

function toViewerType(viewer: Viewer, tenant: Tenant): ViewerType {
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
    const tenant = await ctx.em.findOne(Tenant, { id: viewer.tenantId });
    if (!tenant) throw new AppError('UNAUTHENTICATED', 'invalid e-mail or password');
    return { token, expiresAt, viewer: toViewerType(viewer, tenant) };
  }

  @Requires()
  @Query(() => ViewerType, { description: 'Who is asking: the user or API key, its tenant and its permissions.' })
  async me(@Ctx() ctx: RequestContext): Promise<ViewerType> {
    const viewer = requireViewer(ctx.viewer);
    const tenant = await ctx.em.findOneOrFail(Tenant, { id: viewer.tenantId });
    return toViewerType(viewer, tenant);
  }
}
