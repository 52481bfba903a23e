import { z } from 'zod';
import { NO_PASSWORD } from '../../auth/users/users.js';
import { User } from '../../entities/user.entity.js';
import { uuid } from '../commercial/schemas.js';
import { defineServiceMethod } from '../registry.js';
import { activationOf } from './activation-records.js';

/** The nine steps of the business's onboarding guide (seed 003 §1, step 11). */
export const NEXT_STEPS = [
  'Accept the invitation e-mail and choose a password',
  'Invite your team (createUser) and give each a role',
  'Create API keys for your integrations (createApiKey)',
  'Rotate the payments webhook secret and give it to your payment provider (rotateWebhookSecret)',
  'Enter the credentials of the channels awaiting them (SMS, WhatsApp Business)',
  'Point your domain at the DNS records listed in the activation',
  'Import your products and customers',
  'Review the chart of accounts and your tax rate',
  'Try your copilots and set their model provider',
] as const;

/**
 * activation.compileResult(activationId, domain) → {tenantId, businessName, status: 'active', endpoints, credentials, modules, nextSteps}
 *
 * The ActivationResult: the activation `active`, its endpoints, and credentials that hold no secret — the
 * admin's e-mail and whether the invitation is accepted (no password exists until they choose one;
 * API keys are theirs to create, shown once to them). Kept on the activation.
 */
export const compileResult = defineServiceMethod({
  service: 'activation',
  method: 'compileResult',
  description: 'Marks the activation active and compiles its result.',
  effects: 'local',
  input: z.object({ activationId: uuid, domain: z.string().min(1) }),
  async run(ctx, input) {
    const { activation, tenant } = await activationOf(ctx, input.activationId);
    const admin = await ctx.em.findOneOrFail(
      User,
      { tenant: tenant.id, email: activation.adminEmail },
      { populate: ['passwordHash'], filters: false },
    );
    const base = `https://${input.domain}`;
    const modules = activation.modules ?? [];
    const result = {
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      businessName: activation.businessName,
      status: 'active',
      endpoints: {
        webConsole: base,
        api: `https://api.${input.domain}`,
        graphql: `${base}/graphql`,
        storefront: modules.includes('storefront') ? `https://www.${input.domain}` : null,
      },
      credentials: { adminEmail: activation.adminEmail, adminInvitation: admin.passwordHash === NO_PASSWORD ? 'pending' : 'accepted' },
      modules,
      nextSteps: [...NEXT_STEPS],
    };
    Object.assign(activation, { status: 'active', activatedAt: ctx.now, result });
    await ctx.em.flush();
    return result;
  },
});
