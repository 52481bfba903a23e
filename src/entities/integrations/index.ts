import { WebhookSecret } from './webhook-secret.entity.js';

export { WebhookSecret };

/** Entities of integrations with systems outside: inbound webhooks' signing secrets. */
export const INTEGRATION_ENTITIES: Function[] = [WebhookSecret];
