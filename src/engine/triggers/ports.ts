import type { JsonObject } from '../../entities/json.js';
import type { TriggerType } from '../../entities/statuses.js';

/** What triggers need from the engine: starting runs idempotently, and resuming waiting steps. */
export interface TriggerEngine {
  start(input: {
    tenantId: string;
    workflow: string;
    context: JsonObject;
    idempotencyKey: string;
    triggerType: TriggerType;
    triggerSource: string;
    /** Among runs queued by a concurrency limit (the trigger's `priority`). */
    priority?: number;
  }): Promise<{ executionId: string; created: boolean }>;
  deliverEvent(event: { tenantId: string; name: string; payload: JsonObject; id: string }): Promise<number>;
}
