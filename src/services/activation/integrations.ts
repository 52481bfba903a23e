import { z } from 'zod';
import { uuid } from '../shared/schemas.js';
import { defineServiceMethod } from '../registry.js';
import { CHANNELS, PAYMENT_GATEWAYS } from './activation-input.js';
import { activationOf, recordResources, type ResourceSpec } from './activation-records.js';

type Status = 'ready' | 'awaiting_credentials';

/** Channels that work on the platform's own infrastructure, and those that need the business's account with a provider. */
const CHANNEL_STATUS: Record<(typeof CHANNELS)[number], Status> = {
  web: 'ready',
  mobile: 'ready',
  email: 'ready',
  pos: 'ready',
  sms: 'awaiting_credentials',
  whatsapp: 'awaiting_credentials',
};

/**
 * activation.configureIntegrations(activationId, payments, channels) → {webhookUrl, integrations}
 *
 * Seed 003 §1, step 7: each payment gateway registered with the tenant's webhook endpoint — the built-in
 * ledger is ready (it signs with the tenant's secret); Stripe and Paystack await the business's account
 * keys and the endpoint's registration in their dashboards — and each channel: ready, or awaiting the
 * business's provider credentials (SMS, WhatsApp Business). E-mail sends from the tenant's domain, whose
 * SPF, DKIM and DMARC records configureDns names.
 */
export function createConfigureIntegrations(publicUrl: string | undefined) {
  return defineServiceMethod({
    service: 'activation',
    method: 'configureIntegrations',
    description: "Registers the business's payment gateways and messaging channels.",
    effects: 'local',
    input: z.object({ activationId: uuid, payments: z.array(z.enum(PAYMENT_GATEWAYS)).min(1), channels: z.array(z.enum(CHANNELS)).min(1) }),
    async run(ctx, input) {
      const { activation } = await activationOf(ctx, input.activationId);
      const webhookUrl = publicUrl ? `${publicUrl.replace(/\/+$/, '')}/webhooks/payments` : '/webhooks/payments';
      const integrations: Array<{ name: string; status: Status }> = [
        ...[...new Set(input.payments)].map((gateway) => ({
          name: `payments:${gateway}`,
          status: gateway === 'ledger' ? ('ready' as const) : ('awaiting_credentials' as const),
        })),
        ...[...new Set(input.channels)].map((channel) => ({ name: `channel:${channel}`, status: CHANNEL_STATUS[channel] })),
      ];
      const specs = integrations.map((integration): ResourceSpec => ({
        kind: 'integration',
        name: integration.name,
        details: { ...integration, ...(integration.name.startsWith('payments:') ? { webhookUrl } : {}) },
      }));
      await recordResources(ctx, activation, 'switchyard', specs);
      return { webhookUrl, integrations };
    },
  });
}
