import type { JsonObject } from '../../entities/json.js';
import { AppError } from '../../errors.js';
import { eventNameProblem } from '../definition/triggers.js';
import { transactionQueryable } from '../../infra/queryable.js';
import {
  deliveriesOf,
  findEvent,
  listEvents,
  recordPublishedEvent,
  resumedBy,
  triggeringEvents,
  type DeliveryRow,
  type DomainEventRow,
  type EventCursor,
  type EventListFilter,
} from '../store/trigger-store.js';
import type { CallerTransaction } from '../store/transactions.js';
import { eventIdFor, MAX_EVENT_KEY_LENGTH } from '../../infra/event-ids.js';

/**
 * Domain events as the API sees them: publishing one (an integration's), and reading events with
 * what each started or resumed. Every call runs in the caller's transaction (`CallerTransaction`) — the request's
 * tenant transaction — and names the tenant in each statement as well.
 */

export type EventRecord = DomainEventRow;
export type EventDeliveryRecord = DeliveryRow;

export interface PublishEventInput {
  tenantId: string;
  name: string;
  payload: JsonObject;
  /** The event's identity: a UUID, or any key of the publisher's (mapped to a UUID); absent: a new one. */
  id?: string;
  /** Who published it: `user:<id>`, `api-key:<id>`. */
  source: string;
}

export interface EventPage {
  events: EventRecord[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export const MAX_EVENTS_PAGE = 100;
/** Payloads travel through every trigger and wait: keep them small. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

export interface EventCatalog {
  /**
   * Records the event in the outbox (it is then delivered like a service's). The same id again
   * answers the first event and records nothing (`created: false`); the same id for another event
   * name is a CONFLICT.
   */
  publish(em: CallerTransaction, input: PublishEventInput): Promise<{ event: EventRecord; created: boolean }>;
  /** By its id or by the key it was published with. */
  find(em: CallerTransaction, tenantId: string, id: string): Promise<EventRecord | undefined>;
  /** Newest first. */
  list(em: CallerTransaction, tenantId: string, filter: EventListFilter, page: { first: number; after?: string }): Promise<EventPage>;
  /** What each event started: one entry per workflow whose trigger accepted it. */
  deliveries(em: CallerTransaction, tenantId: string, eventIds: readonly string[]): Promise<EventDeliveryRecord[]>;
  /** The executions whose waiting step each event resumed. */
  resumed(em: CallerTransaction, tenantId: string, eventIds: readonly string[]): Promise<Array<{ eventId: string; executionId: string }>>;
  /** The event that started each execution, for those an event trigger started. */
  triggeringEvents(em: CallerTransaction, tenantId: string, executionIds: readonly string[]): Promise<Map<string, EventRecord>>;
}

function encodeCursor(cursor: EventCursor): string {
  return Buffer.from(`${cursor.occurredAt}|${cursor.id}`, 'utf8').toString('base64url');
}

function decodeCursor(raw: string): EventCursor {
  const [occurredAt, id, extra] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (!occurredAt || !id || extra !== undefined || Number.isNaN(Date.parse(occurredAt)) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new AppError('BAD_USER_INPUT', 'invalid cursor: pass the endCursor of a previous page');
  }
  return { occurredAt, id };
}

function checkPublishable(input: PublishEventInput): void {
  const nameProblem = eventNameProblem(input.name);
  if (nameProblem) throw new AppError('VALIDATION', nameProblem, { details: { field: 'name' } });
  if (input.id !== undefined && (input.id.trim() === '' || input.id.length > MAX_EVENT_KEY_LENGTH)) {
    throw new AppError('VALIDATION', `an event id has 1 to ${MAX_EVENT_KEY_LENGTH} characters`, { details: { field: 'id' } });
  }
  if (Buffer.byteLength(JSON.stringify(input.payload), 'utf8') > MAX_PAYLOAD_BYTES) {
    throw new AppError('VALIDATION', `an event payload has at most ${MAX_PAYLOAD_BYTES} bytes of JSON`, { details: { field: 'payload' } });
  }
}

export function createEventCatalog(): EventCatalog {
  async function existing(em: CallerTransaction, tenantId: string, id: string, name: string): Promise<EventRecord | undefined> {
    const found = await findEvent(transactionQueryable(em), id);
    if (!found) return undefined;
    // Another tenant's event is not shown, not even as a conflict with its name.
    if (found.tenantId !== tenantId || found.name !== name) {
      throw new AppError('CONFLICT', `event id ${id} is already taken by another event`);
    }
    return found;
  }

  return {
    async publish(em, input) {
      checkPublishable(input);
      const id = input.id === undefined ? undefined : eventIdFor(input.tenantId, input.id);
      if (id) {
        const first = await existing(em, input.tenantId, id, input.name);
        if (first) return { event: first, created: false };
      }
      const recorded = await recordPublishedEvent(em, {
        tenantId: input.tenantId,
        name: input.name,
        payload: input.payload,
        source: input.source,
        ...(id ? { id } : {}),
      });
      // Published twice at once with one id: the other insert won (and this transaction is aborted).
      if (!recorded)
        throw new AppError('CONFLICT', `event ${input.id ?? ''} is being published concurrently; publish it again to get it`, {
          retryable: true,
        });
      const event = await findEvent(transactionQueryable(em), recorded);
      if (!event) throw new AppError('INTERNAL_SERVER_ERROR', `event ${recorded} vanished after it was recorded`);
      return { event, created: true };
    },

    async find(em, tenantId, id) {
      if (id.length === 0 || id.length > MAX_EVENT_KEY_LENGTH) return undefined;
      const event = await findEvent(transactionQueryable(em), eventIdFor(tenantId, id));
      return event && event.tenantId === tenantId ? event : undefined;
    },

    async list(em, tenantId, filter, page) {
      if (!Number.isInteger(page.first) || page.first < 1 || page.first > MAX_EVENTS_PAGE) {
        throw new AppError('BAD_USER_INPUT', `first must be from 1 to ${MAX_EVENTS_PAGE}`);
      }
      const cursor = page.after === undefined ? undefined : decodeCursor(page.after);
      const rows = await listEvents(transactionQueryable(em), tenantId, filter, page.first + 1, cursor);
      const events = rows.slice(0, page.first);
      const last = events.at(-1);
      return { events, endCursor: last ? encodeCursor(last.cursor) : null, hasNextPage: rows.length > page.first };
    },

    deliveries: (em, tenantId, eventIds) => deliveriesOf(transactionQueryable(em), tenantId, eventIds),
    resumed: (em, tenantId, eventIds) => resumedBy(transactionQueryable(em), tenantId, eventIds),

    async triggeringEvents(em, tenantId, executionIds) {
      const rows = await triggeringEvents(transactionQueryable(em), tenantId, executionIds);
      return new Map(rows.map(({ executionId, ...event }) => [executionId, event]));
    },
  };
}
