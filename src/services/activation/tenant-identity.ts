import { z } from 'zod';
import { clockOf } from '../../auth/clock.js';
import { openTenant, setTenantSuspension } from '../../auth/tenants.js';
import { NO_PASSWORD } from '../../auth/users/users.js';
import { BusinessActivation } from '../../entities/domain/business-activation.entity.js';
import { WebhookSecret } from '../../entities/integrations/webhook-secret.entity.js';
import type { Tenant } from '../../entities/tenant.entity.js';
import { User } from '../../entities/user.entity.js';
import { createWebhookSecret } from '../webhook-secrets/secrets.js';
import { uuid } from '../shared/schemas.js';
import { slugCandidates } from '../deployment/tenant-slug.js';
import { defineServiceMethod, type ServiceCallContext } from '../registry.js';
import { activationOf } from './activation-records.js';
import { businessInput } from './activation-input.js';

/** The source of the payment provider's webhooks (POST /webhooks/payments). */
const PAYMENTS_SOURCE = 'payments';

async function identityOf(ctx: ServiceCallContext, activation: BusinessActivation, tenant: Tenant) {
  const admin = await ctx.em.findOneOrFail(
    User,
    { tenant: tenant.id, email: activation.adminEmail },
    { populate: ['passwordHash'], filters: false },
  );
  const secret = await ctx.em.findOne(WebhookSecret, { tenant: tenant.id, source: PAYMENTS_SOURCE, expiresAt: null });
  return {
    activationId: activation.id,
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    tenantName: tenant.name,
    adminEmail: activation.adminEmail,
    adminInvitation: admin.passwordHash === NO_PASSWORD ? 'pending' : 'accepted',
    webhookSecretPrefix: secret?.prefix ?? null,
  };
}

/** A live signing secret for the tenant's payment webhooks: the built-in ledger signs its confirmations with it. */
async function ensureWebhookSecret(ctx: ServiceCallContext, activation: BusinessActivation, tenant: Tenant): Promise<void> {
  if (await ctx.em.findOne(WebhookSecret, { tenant: tenant.id, source: PAYMENTS_SOURCE, expiresAt: null })) return;
  await createWebhookSecret(ctx.em, {
    tenantId: tenant.id,
    source: PAYMENTS_SOURCE,
    createdBy: `activation:${activation.id}`,
    now: ctx.now,
    sources: [PAYMENTS_SOURCE],
  });
}

/**
 * activation.createTenantIdentity(businessName, region, currency, industry, channels, payments, adminEmail, plan?)
 *   → {activationId, tenantId, tenantSlug, tenantName, adminEmail, adminInvitation, webhookSecretPrefix}
 *
 * The business's tenant, made the one way tenants are made (openTenant: a free slug from its name, its
 * admin a user with no password — their invitation leaves with the welcome e-mail once the activation
 * completes, compileResult), its payment
 * webhooks' signing secret (shown nowhere: the built-in ledger signs with it; the admin rotates it to
 * learn one, `rotateWebhookSecret`), and the operator's record of the activation. One per call key: after
 * its undo (suspendTenantIdentity) the same key takes the same tenant up again. An admin e-mail that is
 * already a user's is CONFLICT.
 */
export const createTenantIdentity = defineServiceMethod({
  service: 'activation',
  method: 'createTenantIdentity',
  description: 'Creates the business tenant, invites its admin and makes its payment webhook secret.',
  effects: 'local',
  input: businessInput,
  output: z.looseObject({
    activationId: uuid,
    tenantId: z.string(),
    tenantSlug: z.string(),
    tenantName: z.string(),
    adminEmail: z.string(),
    adminInvitation: z.enum(['pending', 'accepted']),
    webhookSecretPrefix: z.string().nullable(),
  }),
  async run(ctx, input) {
    const earlier = await ctx.em.findOne(BusinessActivation, { tenant: ctx.tenantId, idempotencyKey: ctx.idempotencyKey });
    if (earlier) {
      const { tenant } = await activationOf(ctx, earlier.id, { lock: true });
      Object.assign(earlier, { status: 'provisioning', rolledBackAt: null });
      await setTenantSuspension(ctx.em, tenant, false, ctx.now);
      await ensureWebhookSecret(ctx, earlier, tenant);
      await ctx.em.flush();
      return identityOf(ctx, earlier, tenant);
    }
    const { tenant } = await openTenant(ctx.em, clockOf(ctx.em), {
      slugs: slugCandidates(input.businessName),
      name: input.businessName,
      adminEmail: input.adminEmail,
      // Sent with the business's API key when the activation completes (compileResult), not into a tenant a failure would undo.
      invitation: 'welcome_email',
    });
    const activation = ctx.em.create(BusinessActivation, {
      tenant: ctx.tenantId,
      activatedTenant: tenant,
      idempotencyKey: ctx.idempotencyKey,
      businessName: input.businessName,
      industry: input.industry,
      region: input.region,
      currency: input.currency,
      plan: input.plan,
      adminEmail: input.adminEmail,
      createdAt: ctx.now,
    });
    await ctx.em.flush();
    await ensureWebhookSecret(ctx, activation, tenant);
    return identityOf(ctx, activation, tenant);
  },
});

/**
 * activation.suspendTenantIdentity(activationId) → {activationId, tenantId, suspended: true}
 *
 * The undo of createTenantIdentity: the activation `rolled_back`, its tenant suspended (its users and
 * keys refused, its triggers stopped) and its webhook secrets stopped. Rows stay — a tenant's records are
 * not deleted — and a retry lifts the suspension.
 */
export const suspendTenantIdentity = defineServiceMethod({
  service: 'activation',
  method: 'suspendTenantIdentity',
  description: "Undoes an activation's identity: suspends the tenant and stops its webhook secrets.",
  effects: 'local',
  input: z.object({ activationId: uuid }),
  async run(ctx, input) {
    const { activation, tenant } = await activationOf(ctx, input.activationId, { lock: true });
    Object.assign(activation, { status: 'rolled_back', rolledBackAt: ctx.now });
    // As a platform admin's suspension: its runs held too (other processes' auth caches see it within their trust window).
    await setTenantSuspension(ctx.em, tenant, true, ctx.now);
    const secrets = await ctx.em.find(WebhookSecret, { tenant: tenant.id, $or: [{ expiresAt: null }, { expiresAt: { $gt: ctx.now } }] });
    for (const secret of secrets) secret.expiresAt = ctx.now;
    await ctx.em.flush();
    return { activationId: activation.id, tenantId: tenant.id, suspended: true };
  },
});
