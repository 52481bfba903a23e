import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small NetBox REST API on a loopback port, for the parts the IPAM adapter uses, answering as NetBox
 * 3.x/4.x does: `Authorization: Token <token>` (403 otherwise), `GET /api/ipam/ip-addresses/?description=…`
 * (a paginated list), `POST /api/ipam/prefixes/{id}/available-ips/` (201 with the new address as
 * `a.b.c.d/len`; 204 "An insufficient number of IP addresses…" when full), `DELETE /api/ipam/ip-addresses/{id}/`.
 */
export interface FakeNetbox {
  readonly url: string;
  readonly token: string;
  readonly addresses: Map<number, { id: number; address: string; description: string; prefixId: number }>;
  addPrefix(id: number, firstHost: number, lastHost: number, base: string, length: number): void;
  setDown(down: boolean): void;
  stop(): Promise<void>;
}

export async function startFakeNetbox(token = 'nbtoken0123456789'): Promise<FakeNetbox> {
  const prefixes = new Map<number, { hosts: string[]; length: number }>();
  const addresses = new Map<number, { id: number; address: string; description: string; prefixId: number }>();
  let nextId = 1;
  let down = false;

  const send = (response: http.ServerResponse, status: number, body?: unknown) => {
    response.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const view = (record: { id: number; address: string; description: string }) => ({
    id: record.id,
    url: `/api/ipam/ip-addresses/${record.id}/`,
    address: record.address,
    status: { value: 'active', label: 'Active' },
    description: record.description,
  });

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (down) return send(response, 503, { detail: 'Service Unavailable' });
      if (request.headers.authorization !== `Token ${token}`) return send(response, 403, { detail: 'Invalid token' });
      const url = new URL(request.url ?? '/', 'http://netbox');
      const available = /^\/api\/ipam\/prefixes\/(\d+)\/available-ips\/$/.exec(url.pathname);
      const single = /^\/api\/ipam\/ip-addresses\/(\d+)\/$/.exec(url.pathname);
      if (request.method === 'GET' && url.pathname === '/api/ipam/ip-addresses/') {
        const description = url.searchParams.get('description');
        const results = [...addresses.values()].filter((record) => description === null || record.description === description).map(view);
        return send(response, 200, { count: results.length, next: null, previous: null, results });
      }
      if (request.method === 'POST' && available) {
        const prefixId = Number(available[1]);
        const prefix = prefixes.get(prefixId);
        if (!prefix) return send(response, 404, { detail: 'No Prefix matches the given query.' });
        const taken = new Set(
          [...addresses.values()].filter((record) => record.prefixId === prefixId).map((record) => record.address.split('/')[0]),
        );
        const free = prefix.hosts.find((host) => !taken.has(host));
        if (!free) return send(response, 204);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { description?: string };
        const record = { id: nextId++, address: `${free}/${prefix.length}`, description: body.description ?? '', prefixId };
        addresses.set(record.id, record);
        return send(response, 201, view(record));
      }
      if (request.method === 'DELETE' && single) {
        return addresses.delete(Number(single[1])) ? send(response, 204) : send(response, 404, { detail: 'Not found.' });
      }
      return send(response, 404, { detail: 'Not found.' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    addresses,
    addPrefix(id, firstHost, lastHost, base, length) {
      const hosts = Array.from({ length: lastHost - firstHost + 1 }, (_, i) => `${base}.${firstHost + i}`);
      prefixes.set(id, { hosts, length });
    },
    setDown(value) {
      down = value;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
