import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small GenieACS northbound interface (NBI) on a loopback port, speaking the endpoints Switchyard uses
 * as GenieACS 1.2 does (lib/nbi.ts): `GET /devices/?query=<mongo query>&projection=…`, `GET /tasks/?query=…`,
 * `POST /devices/<id>/tasks[?connection_request]` (200 when the task ran during the request, 202 with the
 * reason in the status line otherwise, 404 "No such device"), `POST|DELETE /devices/<id>/tags/<tag>`.
 */
export interface FakeDevice {
  id: string;
  serial: string;
  dataModel: 'tr098' | 'tr181';
  /** Answers connection requests: tasks posted with `connection_request` run at once. */
  online: boolean;
  tags: string[];
  /** Parameters the device has been given by tasks that ran. */
  parameters: Map<string, string | number | boolean>;
}

export interface FakeTask {
  _id: string;
  device: string;
  name: string;
  parameterValues?: [string, string | number | boolean, string][];
  timestamp: string;
}

export type FakeAcsMode = 'up' | 'error' | 'hang' | 'fault';

export interface FakeGenieAcs {
  readonly url: string;
  readonly devices: Map<string, FakeDevice>;
  /** Tasks queued and not yet run. */
  readonly pendingTasks: FakeTask[];
  /** Each request's method and path, and its W3C trace context when it carried one. */
  readonly requests: { method: string; path: string; traceparent?: string }[];
  addDevice(device: { serial: string; dataModel?: 'tr098' | 'tr181'; online?: boolean; oui?: string; productClass?: string }): FakeDevice;
  /** `error`: every request answers 503; `hang`: none is answered; `fault`: posted tasks fault. */
  setMode(mode: FakeAcsMode): void;
  stop(): Promise<void>;
}

const DEVICE_TASKS = /^\/devices\/([a-zA-Z0-9\-_%]+)\/tasks\/?$/;
const DEVICE_TAG = /^\/devices\/([a-zA-Z0-9\-_%]+)\/tags\/([a-zA-Z0-9\-_%]+)\/?$/;

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function valueAt(document: unknown, path: string): unknown {
  let current = document;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function matches(document: unknown, query: Record<string, unknown>): boolean {
  return Object.entries(query).every(([path, expected]) => valueAt(document, path) === expected);
}

function deviceDocument(device: FakeDevice): Record<string, unknown> {
  const root = device.dataModel === 'tr181' ? 'Device' : 'InternetGatewayDevice';
  return {
    _id: device.id,
    _deviceId: { _SerialNumber: device.serial, _OUI: device.id.split('-')[0], _ProductClass: device.id.split('-')[1] },
    _tags: [...device.tags],
    [root]: { DeviceInfo: { SerialNumber: { _value: device.serial, _writable: false } } },
  };
}

/** GenieACS keeps the fields named by the projection (by their first segment here), and always `_id`. */
function project(document: Record<string, unknown>, projection: string | null): Record<string, unknown> {
  if (!projection) return document;
  const roots = new Set(projection.split(',').map((path) => path.trim().split('.')[0]));
  return Object.fromEntries(Object.entries(document).filter(([key]) => key === '_id' || roots.has(key)));
}

export async function startFakeGenieAcs(): Promise<FakeGenieAcs> {
  const devices = new Map<string, FakeDevice>();
  const pendingTasks: FakeTask[] = [];
  const requests: { method: string; path: string; traceparent?: string }[] = [];
  let mode: FakeAcsMode = 'up';

  const json = (response: http.ServerResponse, status: number, body: unknown, reason?: string) => {
    if (reason) response.writeHead(status, reason, { 'Content-Type': 'application/json' });
    else response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://acs');
    const traceparent = request.headers['traceparent'];
    requests.push({
      method: request.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      ...(typeof traceparent === 'string' ? { traceparent } : {}),
    });
    const body = await readBody(request);
    if (mode === 'hang') return;
    if (mode === 'error') {
      response.writeHead(503, { Connection: 'close' });
      response.end('MongoError: connection refused');
      return;
    }

    const tasksMatch = DEVICE_TASKS.exec(url.pathname);
    const tagMatch = DEVICE_TAG.exec(url.pathname);
    if (request.method === 'GET' && (url.pathname === '/devices' || url.pathname === '/devices/')) {
      const query = JSON.parse(url.searchParams.get('query') ?? '{}') as Record<string, unknown>;
      const found = [...devices.values()].map(deviceDocument).filter((document) => matches(document, query));
      json(
        response,
        200,
        found.map((document) => project(document, url.searchParams.get('projection'))),
      );
    } else if (request.method === 'GET' && (url.pathname === '/tasks' || url.pathname === '/tasks/')) {
      const query = JSON.parse(url.searchParams.get('query') ?? '{}') as Record<string, unknown>;
      json(
        response,
        200,
        pendingTasks.filter((task) => matches(task, query)),
      );
    } else if (request.method === 'POST' && tasksMatch) {
      const device = devices.get(decodeURIComponent(tasksMatch[1] ?? ''));
      if (!device) {
        response.writeHead(404);
        response.end('No such device');
        return;
      }
      const posted = JSON.parse(body) as Omit<FakeTask, '_id' | 'device' | 'timestamp'>;
      const task: FakeTask = { ...posted, _id: randomBytes(12).toString('hex'), device: device.id, timestamp: new Date().toISOString() };
      if (mode === 'fault') {
        pendingTasks.push(task);
        json(response, 202, task, 'Task faulted');
      } else if (url.searchParams.has('connection_request') && device.online) {
        for (const [path, value] of task.parameterValues ?? []) device.parameters.set(path, value);
        json(response, 200, task);
      } else {
        pendingTasks.push(task);
        json(response, 202, task, 'Task queued but not processed');
      }
    } else if (request.method === 'POST' && tagMatch) {
      const device = devices.get(decodeURIComponent(tagMatch[1] ?? ''));
      const tag = decodeURIComponent(tagMatch[2] ?? '');
      if (device && !device.tags.includes(tag)) device.tags.push(tag);
      response.writeHead(200);
      response.end();
    } else if (request.method === 'DELETE' && tagMatch) {
      const device = devices.get(decodeURIComponent(tagMatch[1] ?? ''));
      const tag = decodeURIComponent(tagMatch[2] ?? '');
      if (device) device.tags = device.tags.filter((each) => each !== tag);
      response.writeHead(device ? 200 : 404);
      response.end();
    } else {
      response.writeHead(404);
      response.end('404 Not Found');
    }
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { Connection: 'close' });
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    devices,
    pendingTasks,
    requests,
    addDevice({ serial, dataModel = 'tr098', online = true, oui = '202BC1', productClass = 'BM632w' }) {
      const device: FakeDevice = { id: `${oui}-${productClass}-${serial}`, serial, dataModel, online, tags: [], parameters: new Map() };
      devices.set(device.id, device);
      return device;
    },
    setMode(next) {
      mode = next;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
