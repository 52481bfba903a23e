import { WebhookSecret } from './webhook-secret.entity.js';
import type { EntityClass } from '../entity-class.js';

export { WebhookSecret };

/** Entities of integrations with systems outside: inbound webhooks' signing secrets. */
export const INTEGRATION_ENTITIES: EntityClass[] = [WebhookSecret];
