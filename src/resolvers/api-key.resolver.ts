import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Audited } from '../auth/audit/audited.js';
import { Requires } from '../auth/auth-checker.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../auth/api-keys.js';
import { isPermission, type Permission } from '../auth/permissions.js';
import { requireViewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import type { ApiKey } from '../entities/auth/api-key.entity.js';
import { ApiKeyType, CreatedApiKeyType } from '../schema/types/auth-api-key.type.js';
import { PermissionEnum } from '../schema/types/auth.type.js';
import { toTenantType } from './auth.resolver.js';

async function toApiKeyType(apiKey: ApiKey): Promise<ApiKeyType> {
  return {
    id: apiKey.id,
    name: apiKey.name,
    prefix: `sy_${apiKey.prefix}_`,
    permissions: apiKey.permissions.filter(isPermission),
    tenant: toTenantType(await apiKey.tenant.loadOrFail()),
    createdBy: apiKey.createdBy,
    createdAt: apiKey.createdAt,
    lastUsedAt: apiKey.lastUsedAt ?? null,
    revokedAt: apiKey.revokedAt ?? null,
  };
}

@Resolver(() => ApiKeyType)
export class ApiKeyResolver {
  @Requires('apikey:manage')
  @Query(() => [ApiKeyType], { description: 'API keys of your tenant (admins: of any tenant). Secrets are never shown again.' })
  async apiKeys(
    @Arg('tenant', () => ID, { nullable: true }) tenantId: string | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<ApiKeyType[]> {
    const keys = await listApiKeys(ctx.em, requireViewer(ctx.viewer), tenantId ?? undefined);
    return Promise.all(keys.map(toApiKeyType));
  }

  @Requires('apikey:manage')
  @Audited({ operation: 'apiKey.create', targetType: 'apiKey', resultTarget: 'apiKey' })
  @Mutation(() => CreatedApiKeyType, {
    description: 'A new API key with some of your permissions, for your tenant (admins: any tenant). The key is in this answer only.',
  })
  async createApiKey(
    @Arg('name') name: string,
    @Arg('permissions', () => [PermissionEnum]) permissions: Permission[],
    @Arg('tenant', () => ID, { nullable: true }) tenantId: string | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<CreatedApiKeyType> {
    const { apiKey, key } = await createApiKey(ctx.em, requireViewer(ctx.viewer), { name, permissions, tenantId: tenantId ?? undefined });
    return { key, apiKey: await toApiKeyType(apiKey) };
  }

  @Requires('apikey:manage')
  @Audited({ operation: 'apiKey.revoke', targetType: 'apiKey', targetArg: 'id' })
  @Mutation(() => ApiKeyType, { description: 'Revokes a key at once; requests with it are UNAUTHENTICATED from then on. Idempotent.' })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ApiKeyType> {
    return toApiKeyType(await revokeApiKey(ctx.em, requireViewer(ctx.viewer), id));
  }
}
