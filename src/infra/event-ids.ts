import { createHash } from 'node:crypto';

/**
 * Event ids. `domain_events.id` is a UUID, and an event's id is its identity: recording the same id
 * twice is recording one event. Ids that are not UUIDs — an integration's own (`stripe:evt_123`), or a
 * key that names an occurrence (`subscription.expiring_soon:<subscription>:<period end>`) — are mapped
 * to a name-based UUID (RFC 4122 version 5), so the same key always gives the same event.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Switchyard's namespace for name-based event ids (an arbitrary, fixed UUID). */
const EVENT_NAMESPACE = '6f1c0c3e-5b7a-4e43-9d7e-2a1e8c4b9f10';

export const MAX_EVENT_KEY_LENGTH = 200;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** RFC 4122 version 5: the SHA-1 of a namespace UUID and a name, as a UUID. */
export function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The version-5 UUID of `key` in Switchyard's event namespace. */
export function uuidFromKey(key: string): string {
  return uuidV5(EVENT_NAMESPACE, key);
}

/**
 * The stored id of an event published with `id` by a tenant: a UUID as it is (lower case), any other
 * key mapped within the tenant, so two tenants' `order-1` are different events.
 */
export function eventIdFor(tenantId: string, id: string): string {
  return isUuid(id) ? id.toLowerCase() : uuidFromKey(`${tenantId}:${id}`);
}
