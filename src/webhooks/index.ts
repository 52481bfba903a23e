import { paymentsWebhookSource } from './payments-source.js';
import type { WebhookSource } from './sources.js';

export { createWebhookIntake, WEBHOOKS_PATH } from './intake.js';
export type { WebhookSource } from './sources.js';

/** The configured inbound webhook sources: `POST /webhooks/<name>`. */
export const WEBHOOK_SOURCES: readonly WebhookSource[] = [paymentsWebhookSource];
export const WEBHOOK_SOURCE_NAMES: readonly string[] = WEBHOOK_SOURCES.map((source) => source.name);
