import { z } from 'zod';
import { AppError } from '../../errors.js';
import { callExternal, type ExternalResponse, type FetchFn } from '../shared/external-http.js';
import type { DnsPort, DnsRecord, ExternalCallContext } from './data-store-ports.js';

export interface PowerDnsOptions {
  /** The PowerDNS Authoritative server's API: `http://pdns:8081`. */
  url: string;
  apiKey: string;
  /** The zone the businesses' names are written in: `switchyard.example.com`. */
  zone: string;
  serverId?: string;
  ttl?: number;
  fetch?: FetchFn;
  timeoutMs?: number;
}

const errorBody = z.looseObject({ error: z.string().optional() });

/** Names and targets go to PowerDNS canonical (with the final dot); TXT content quoted. */
const canonical = (name: string) => `${name.replace(/\.$/, '')}.`;
function contentOf(record: DnsRecord): string {
  switch (record.type) {
    case 'ALIAS':
    case 'CNAME':
      return canonical(record.value);
    case 'MX': {
      const [priority, host = ''] = record.value.split(/\s+/);
      return `${priority} ${canonical(host)}`;
    }
    case 'TXT':
      return `"${record.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    default: {
      const unknown: never = record.type;
      throw new AppError('VALIDATION', `unknown DNS record type ${String(unknown)}`);
    }
  }
}

/**
 * DNS records through the PowerDNS Authoritative HTTP API: one `PATCH /api/v1/servers/<id>/zones/<zone>.`
 * with the record sets (`changetype: REPLACE` to write — idempotent —, `DELETE` to remove; records of one
 * name and type form one set). 204 is done; 404 a zone that is not there and 422 a record set it refuses
 * (a CNAME beside other records, say) are refused, not retried; 401/403 a key it does not take.
 */
export function createPowerDns(options: PowerDnsOptions): DnsPort {
  const base = options.url.replace(/\/+$/, '');
  const zone = canonical(options.zone.toLowerCase());
  const path = `/api/v1/servers/${encodeURIComponent(options.serverId ?? 'localhost')}/zones/${encodeURIComponent(zone)}`;

  function rrsets(records: readonly DnsRecord[], changetype: 'REPLACE' | 'DELETE') {
    const sets = new Map<string, { name: string; type: string; records: DnsRecord[] }>();
    for (const record of records) {
      const name = canonical(record.name.toLowerCase());
      if (name !== zone && !name.endsWith(`.${zone}`)) {
        throw new AppError('VALIDATION', `${record.name} is not in the DNS zone ${options.zone} this deployment writes to`, {
          details: { zone: options.zone },
        });
      }
      const key = `${name} ${record.type}`;
      const set = sets.get(key) ?? { name, type: record.type, records: [] };
      set.records.push(record);
      sets.set(key, set);
    }
    return [...sets.values()].map((set) =>
      changetype === 'DELETE'
        ? { name: set.name, type: set.type, changetype }
        : {
            name: set.name,
            type: set.type,
            ttl: options.ttl ?? 3600,
            changetype,
            records: set.records.map((record) => ({ content: contentOf(record), disabled: false })),
          },
    );
  }

  async function patch(ctx: ExternalCallContext, records: readonly DnsRecord[], changetype: 'REPLACE' | 'DELETE'): Promise<void> {
    if (records.length === 0) return;
    const body = JSON.stringify({ rrsets: rrsets(records, changetype) });
    const answer = await callExternal({
      system: 'PowerDNS',
      fetch: options.fetch ?? fetch,
      url: `${base}${path}`,
      method: 'PATCH',
      headers: { 'X-API-Key': options.apiKey, 'Content-Type': 'application/json', Accept: 'application/json' },
      body,
      timeoutMs: options.timeoutMs ?? 10_000,
      signal: ctx.signal,
    });
    if (answer.status === 204 || answer.status === 200) return;
    throw refusal(`${changetype} of ${records.length} records in ${zone}`, answer);
  }

  return {
    name: 'powerdns',
    target: `${new URL(base).origin} zone ${zone}`,
    upsertRecords: (ctx, records) => patch(ctx, records, 'REPLACE'),
    deleteRecords: (ctx, records) => patch(ctx, records, 'DELETE'),
  };
}

function refusal(what: string, answer: ExternalResponse): AppError {
  let message = answer.text.slice(0, 200);
  try {
    message = errorBody.parse(JSON.parse(answer.text)).error ?? message;
  } catch {
    // Not PowerDNS's JSON error: its start says enough.
  }
  const code = answer.status === 422 || answer.status === 404 || answer.status === 400 ? 'VALIDATION' : 'EXTERNAL_UNAVAILABLE';
  return new AppError(code, `PowerDNS answered ${answer.status} to ${what}: ${message}`, {
    retryable: false,
    details: { status: answer.status },
  });
}
