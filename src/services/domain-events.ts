import type { EntityManager } from '@mikro-orm/postgresql';
import { withoutUndefined } from '../entities/entity-data.js';
import { DomainEvent } from '../entities/domain-event.entity.js';
import type { JsonObject } from '../entities/json.js';
import { Tenant } from '../entities/tenant.entity.js';
import { traceContext } from '../observability/tracing/trace-context.js';

export interface RecordedDomainEvent {
  id: string;
  name: string;
}

/**
 * Records a domain event in the caller's transaction (the outbox): it exists if and only if the change
 * that caused it commits. Names are `<entity>.<past tense>`: `quote.accepted`, `lead.qualified`.
 */
export function recordDomainEvent(
  em: EntityManager,
  event: { tenantId: string; name: string; payload: JsonObject; source?: string; id?: string },
): RecordedDomainEvent {
  const row = em.create(
    DomainEvent,
    withoutUndefined({
      ...(event.id ? { id: event.id } : {}),
      tenant: em.getReference(Tenant, event.tenantId),
      name: event.name,
      payload: event.payload,
      source: event.source,
      ...traceContext(),
    }),
  );
  return { id: row.id, name: row.name };
}
