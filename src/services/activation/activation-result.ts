import { z } from 'zod';
import { uuid } from '../shared/schemas.js';
import { defineServiceMethod } from '../registry.js';
import { activationOf } from './activation-records.js';
import { deliverCredentials } from './credentials.js';

/** The nine steps of the business's onboarding guide (seed 003 §1, step 11). */
export const NEXT_STEPS = [
  'Choose your password with the invitation in the welcome e-mail',
  'Invite your team (createUser) and give each a role',
  "Give your integrations the welcome e-mail's API key, or keys of their own (createApiKey)",
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
 * admin's e-mail, whether the invitation is accepted (no password exists until they choose one) and the
 * public prefix of the business's first API key. The key and the invitation are made here, when nothing
 * is left to undo, and reach the admin only in the welcome e-mail (credentials.ts). Kept on the activation.
 */
export const compileResult = defineServiceMethod({
  service: 'activation',
  method: 'compileResult',
  description: 'Marks the activation active and compiles its result.',
  effects: 'local',
  input: z.object({ activationId: uuid, domain: z.string().min(1) }),
  async run(ctx, input) {
    const { activation, tenant } = await activationOf(ctx, input.activationId);
    const base = `https://${input.domain}`;
    const modules = activation.modules ?? [];
    const endpoints = {
      webConsole: base,
      api: `https://api.${input.domain}`,
      graphql: `${base}/graphql`,
      storefront: modules.includes('storefront') ? `https://www.${input.domain}` : null,
    };
    const result = {
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      businessName: activation.businessName,
      status: 'active',
      endpoints,
      credentials: { ...(await deliverCredentials(ctx, activation, tenant, endpoints)) },
      modules,
      nextSteps: [...NEXT_STEPS],
    };
    Object.assign(activation, { status: 'active', activatedAt: ctx.now, result });
    await ctx.em.flush();
    return result;
  },
});
