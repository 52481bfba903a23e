import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { expectShape, jsonApi, parseJson, type FetchFn } from '../shared/external-http.js';
import type { IpamContext, IpamPort } from './ipam-port.js';

export interface NetboxIpamOptions {
  /** e.g. https://netbox.example.net (the API is under /api/). */
  url: string;
  token: string;
  fetch?: FetchFn;
  timeoutMs?: number;
}

const ipAddress = z.object({ id: z.number(), address: z.string() });
const ipAddressList = z.object({ results: z.array(ipAddress) });

/**
 * NetBox as the IPAM: each pool names a NetBox prefix (`ip_pools.netbox_prefix_id`), and addresses come
 * from `POST /api/ipam/prefixes/{id}/available-ips/`, which NetBox serialises itself. NetBox has no
 * idempotency key, so the address is created with a description derived from the call's idempotency key
 * and looked up by it first: a retried step finds the address it already took instead of taking another.
 */
export function createNetboxIpam(options: NetboxIpamOptions): IpamPort {
  const api = jsonApi({
    system: 'NetBox',
    url: options.url,
    headers: { Authorization: `Token ${options.token}` },
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
  });
  const call = (ctx: IpamContext, method: string, path: string, body?: unknown) => api(method, path, ctx.signal, body);

  return {
    name: 'netbox',
    effects: 'external',
    async allocate(ctx, pool, description) {
      if (pool.netboxPrefixId === undefined || pool.netboxPrefixId === null) {
        throw new AppError('INVALID_STATE', `IP pool ${pool.name} has no NetBox prefix id`);
      }
      const marker = allocationMarker(ctx);
      const found = await call(ctx, 'GET', `/api/ipam/ip-addresses/?description=${encodeURIComponent(marker)}&limit=1`);
      assertAuthorised(found.status);
      if (found.status !== 200) throw unexpected('GET ip-addresses', found.status, found.text);
      const existing = expectShape('NetBox', ipAddressList, parseJson('NetBox', found.text), 'ip-address list').results[0];
      if (existing) return { address: hostOf(existing.address), externalId: String(existing.id) };

      const created = await call(ctx, 'POST', `/api/ipam/prefixes/${pool.netboxPrefixId}/available-ips/`, {
        status: 'active',
        description: marker,
        comments: description,
      });
      assertAuthorised(created.status);
      if (created.status === 404) throw new AppError('NOT_FOUND', `NetBox has no prefix ${pool.netboxPrefixId} (pool ${pool.name})`);
      // NetBox answers 204 (older releases 409 or 400) with "An insufficient number of IP addresses…".
      if (created.status === 204 || created.status === 409 || (created.status === 400 && /insufficient/i.test(created.text)))
        return undefined;
      if (created.status !== 201) throw unexpected('POST available-ips', created.status, created.text);
      const body = parseJson('NetBox', created.text);
      const address = expectShape('NetBox', ipAddress, Array.isArray(body) ? body[0] : body, 'ip-address');
      return { address: hostOf(address.address), externalId: String(address.id) };
    },
    async release(ctx, allocation) {
      if (!allocation.externalId) return;
      const deleted = await call(ctx, 'DELETE', `/api/ipam/ip-addresses/${encodeURIComponent(allocation.externalId)}/`);
      assertAuthorised(deleted.status);
      if (deleted.status !== 204 && deleted.status !== 200 && deleted.status !== 404)
        throw unexpected('DELETE ip-address', deleted.status, deleted.text);
    },
  };
}

/** Fits NetBox's description field and says nothing about the tenant or execution. */
function allocationMarker(ctx: IpamContext): string {
  return `switchyard:${createHash('sha256').update(`${ctx.tenantId}\n${ctx.idempotencyKey}`).digest('hex').slice(0, 40)}`;
}

function hostOf(address: string): string {
  return address.split('/')[0] ?? address;
}

function assertAuthorised(status: number): void {
  if (status === 401 || status === 403) {
    throw new AppError('EXTERNAL_UNAVAILABLE', `NetBox refused the API token (${status})`, { retryable: false });
  }
}

function unexpected(what: string, status: number, body: string): AppError {
  return new AppError('EXTERNAL_UNAVAILABLE', `NetBox answered ${status} to ${what}: ${body.slice(0, 200)}`, {
    retryable: false,
    details: { status },
  });
}
