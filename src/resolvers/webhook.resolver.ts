import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Audited } from '../auth/audit/audited.js';
import { Requires } from '../auth/auth-checker.js';
import { clockOf } from '../auth/clock.js';
import { requireViewer, viewerSource } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import type { WebhookSecret } from '../entities/integrations/webhook-secret.entity.js';
import { CreatedWebhookSecretType, WebhookSecretType } from '../schema/types/webhook.type.js';
import { WEBHOOK_SOURCE_NAMES, WEBHOOKS_PATH } from '../webhooks/index.js';
import {
  createWebhookSecret,
  DEFAULT_OVERLAP_SECONDS,
  listWebhookSecrets,
  revokeWebhookSecret,
  rotateWebhookSecret,
  type CreatedSecret,
} from '../services/webhook-secrets/secrets.js';

function toWebhookSecretType(record: WebhookSecret): WebhookSecretType {
  return {
    id: record.id,
    source: record.source,
    path: `${WEBHOOKS_PATH}${record.source}`,
    prefix: record.prefix,
    createdBy: record.createdBy,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt ?? null,
  };
}

function toCreated(created: CreatedSecret): CreatedWebhookSecretType {
  return { secret: created.secret, webhookSecret: toWebhookSecretType(created.record) };
}

/** Inbound webhooks' signing secrets, managed by whoever manages the tenant's API keys (credentials both). */
@Resolver(() => WebhookSecretType)
export class WebhookSecretResolver {
  @Requires('apikey:manage')
  @Query(() => [WebhookSecretType], {
    description: "Your tenant's webhook signing secrets, newest first, without the secrets. Live ones only unless `includeExpired`.",
  })
  async webhookSecrets(
    @Arg('includeExpired', { defaultValue: false }) includeExpired: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookSecretType[]> {
    const viewer = requireViewer(ctx.viewer);
    return (await listWebhookSecrets(ctx.em, viewer.tenantId, clockOf(ctx.em).now(), includeExpired)).map(toWebhookSecretType);
  }

  @Requires('apikey:manage')
  @Audited({ operation: 'webhookSecret.create', targetType: 'webhookSecret', resultTarget: 'webhookSecret' })
  @Mutation(() => CreatedWebhookSecretType, {
    description:
      'The first signing secret of a webhook source (`payments`) for your tenant; CONFLICT when it has one (rotate it). The secret is in this answer only.',
  })
  async createWebhookSecret(@Arg('source') source: string, @Ctx() ctx: RequestContext): Promise<CreatedWebhookSecretType> {
    const viewer = requireViewer(ctx.viewer);
    const created = await createWebhookSecret(ctx.em, {
      tenantId: viewer.tenantId,
      source,
      createdBy: viewerSource(viewer),
      now: clockOf(ctx.em).now(),
      sources: WEBHOOK_SOURCE_NAMES,
    });
    return toCreated(created);
  }

  @Requires('apikey:manage')
  @Audited({ operation: 'webhookSecret.rotate', targetType: 'webhookSecret', resultTarget: 'webhookSecret' })
  @Mutation(() => CreatedWebhookSecretType, {
    description:
      'A new signing secret for the source; the current one keeps verifying for `overlapSeconds` (default a day, at most a week), so deliveries signed with either are accepted until the provider has the new one. The secret is in this answer only.',
  })
  async rotateWebhookSecret(
    @Arg('source') source: string,
    @Arg('overlapSeconds', () => Int, { defaultValue: DEFAULT_OVERLAP_SECONDS }) overlapSeconds: number,
    @Ctx() ctx: RequestContext,
  ): Promise<CreatedWebhookSecretType> {
    const viewer = requireViewer(ctx.viewer);
    const created = await rotateWebhookSecret(ctx.em, {
      tenantId: viewer.tenantId,
      source,
      createdBy: viewerSource(viewer),
      now: clockOf(ctx.em).now(),
      overlapSeconds,
      sources: WEBHOOK_SOURCE_NAMES,
    });
    return toCreated(created);
  }

  @Requires('apikey:manage')
  @Audited({ operation: 'webhookSecret.revoke', targetType: 'webhookSecret', targetArg: 'id' })
  @Mutation(() => WebhookSecretType, {
    description: 'Stops a signing secret at once: deliveries signed with it answer 400 from then on. Idempotent.',
  })
  async revokeWebhookSecret(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<WebhookSecretType> {
    const viewer = requireViewer(ctx.viewer);
    return toWebhookSecretType(await revokeWebhookSecret(ctx.em, viewer.tenantId, id, clockOf(ctx.em).now()));
  }
}
