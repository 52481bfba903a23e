import { serveFake } from './fake-http.js';

export interface FakePowerDns {
  url: string;
  apiKey: string;
  zone: string;
  /** The zone's record sets, `<name>. <TYPE>` → contents as PowerDNS stores them (`"v=spf1 …"`, `10 mx.example.`). */
  rrsets: Map<string, string[]>;
  requests: Array<{ method: string; path: string; status: number }>;
  /** The next `count` requests answer 503 (a PowerDNS behind a restarting proxy). */
  failNext(count: number): void;
  stop(): Promise<void>;
}

/** A record set as sent: checked here, as PowerDNS checks it. */
interface RRSet {
  name?: string;
  type?: string;
  ttl?: unknown;
  changetype?: unknown;
  records?: Array<{ content?: string; disabled?: boolean }>;
}

/** What PowerDNS checks of a record's content: targets canonical (final dot), TXT quoted. */
function contentProblem(type: string, content: string): string | undefined {
  if ((type === 'CNAME' || type === 'ALIAS') && !/^[a-z0-9_.-]+\.$/.test(content)) return 'Not in expected format';
  if (type === 'MX' && !/^\d+ [a-z0-9_.-]+\.$/.test(content)) return 'Not in expected format';
  if (type === 'TXT' && !/^".*"$/.test(content)) return 'Not in expected format (TXT content must be quoted)';
  return undefined;
}

/**
 * The zone-patching part of the PowerDNS Authoritative HTTP API, as the server answers it:
 * `PATCH /api/v1/servers/localhost/zones/<zone>.` with `rrsets` (`changetype` REPLACE with records and
 * ttl, or DELETE) applied all or nothing → 204; an unknown zone 404; a name outside the zone, a content
 * not in canonical form, an unquoted TXT or a CNAME beside other records 422 (`{"error": …}`); the
 * `X-API-Key` header, 401 otherwise.
 */
export async function startFakePowerDns(zone = 'switchyard.localhost', apiKey = 'fake-pdns-key'): Promise<FakePowerDns> {
  const zoneName = `${zone}.`;
  let rrsets = new Map<string, string[]>();
  const requests: FakePowerDns['requests'] = [];
  let failing = 0;

  function apply(sets: RRSet[]): string | undefined {
    const next = new Map(rrsets);
    for (const set of sets) {
      const name = set.name ?? '';
      const type = set.type ?? '';
      if (!name.endsWith('.')) return `Name '${name}' is not canonical`;
      if (name !== zoneName && !name.endsWith(`.${zoneName}`)) return `RRset ${name} IN ${type}: Name is out of zone`;
      if (set.changetype === 'DELETE') {
        next.delete(`${name} ${type}`);
        continue;
      }
      if (set.changetype !== 'REPLACE') return `Changetype not understood`;
      if (typeof set.ttl !== 'number') return `Key 'ttl' not present or not an Integer`;
      const contents = (set.records ?? []).map((record) => record.content ?? '');
      for (const content of contents) {
        const problem = contentProblem(type, content);
        if (problem) return `Record ${name}/${type} '${content}': ${problem}`;
      }
      next.set(`${name} ${type}`, contents);
    }
    for (const key of next.keys()) {
      const [name, type] = key.split(' ');
      if (type === 'CNAME' && [...next.keys()].some((other) => other !== key && other.startsWith(`${name} `)))
        return `RRset ${name} IN CNAME: Conflicts with pre-existing RRset`;
    }
    rrsets = next;
    fake.rrsets = next;
    return undefined;
  }

  const server = await serveFake(({ req, res, body, path: raw }) => {
    const path = decodeURIComponent(raw);
    const send = (status: number, body?: unknown) => {
      requests.push({ method: req.method ?? '', path, status });
      res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (failing > 0) {
      failing -= 1;
      return send(503, { error: 'Service Unavailable' });
    }
    if (req.headers['x-api-key'] !== apiKey) return send(401, { error: 'Unauthorized' });
    const match = /^\/api\/v1\/servers\/localhost\/zones\/([^/]+)$/.exec(path);
    if (!match || req.method !== 'PATCH') return send(404, { error: 'Not Found' });
    if (match[1] !== zoneName) return send(404, { error: `Could not find domain '${match[1]}'` });
    let sets: RRSet[];
    try {
      sets = (JSON.parse(body) as { rrsets: RRSet[] }).rrsets;
    } catch {
      return send(400, { error: 'JSON parse error' });
    }
    const problem = apply(sets);
    return problem ? send(422, { error: problem }) : send(204);
  });
  const fake: FakePowerDns = {
    url: server.url,
    apiKey,
    zone,
    rrsets,
    requests,
    failNext(count) {
      failing = count;
    },
    stop: server.stop,
  };
  return fake;
}
