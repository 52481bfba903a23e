import { z } from 'zod';
import { AppError } from '../../errors.js';
import { callExternal, expectShape, parseJson, type FetchFn } from '../shared/external-http.js';

export interface GenieAcsOptions {
  /** The NBI, e.g. http://genieacs:7557 */
  url: string;
  fetch?: FetchFn | undefined;
  /** Per request; a connection request to the CPE can take a while. */
  timeoutMs?: number | undefined;
}

/** A TR-069 parameter write: [path, value, xsd type]. */
export type ParameterValue = [string, string | number | boolean, string];

export interface AcsDevice {
  id: string;
  tags: string[];
  /** Which root the device reports: TR-181 (`Device.`) or TR-098 (`InternetGatewayDevice.`). */
  dataModel: 'tr181' | 'tr098';
}

export interface AcsTask {
  id: string;
  name: string;
  parameterValues?: ParameterValue[];
}

export type TaskOutcome = { status: 'applied' | 'queued'; taskId: string } | { status: 'faulted'; taskId: string; reason: string };

const deviceDocument = z.looseObject({ _id: z.string(), _tags: z.array(z.string()).optional() });
const taskDocument = z.looseObject({
  _id: z.string(),
  name: z.string(),
  parameterValues: z.array(z.tuple([z.string(), z.union([z.string(), z.number(), z.boolean()]), z.string()])).optional(),
});

export interface GenieAcsClient {
  findDeviceBySerial(serial: string, signal?: AbortSignal): Promise<AcsDevice | undefined>;
  pendingTasks(deviceId: string, signal?: AbortSignal): Promise<AcsTask[]>;
  /** Queues the task and asks the CPE to connect now; `applied` when it ran within the request. */
  queueTask(deviceId: string, task: { name: string; parameterValues: ParameterValue[] }, signal?: AbortSignal): Promise<TaskOutcome>;
  addTag(deviceId: string, tag: string, signal?: AbortSignal): Promise<void>;
  /** Removes a tag; a tag or device already gone is not an error. */
  removeTag(deviceId: string, tag: string, signal?: AbortSignal): Promise<void>;
}

/**
 * A client of the GenieACS northbound interface (NBI, port 7557): `GET /devices/?query=…`,
 * `GET /tasks/?query=…`, `POST /devices/<id>/tasks?connection_request`, `POST|DELETE /devices/<id>/tags/<tag>`.
 * Unreachable, timed out or 5xx: EXTERNAL_UNAVAILABLE (retryable).
 */
export function createGenieAcsClient(options: GenieAcsOptions): GenieAcsClient {
  const base = options.url.replace(/\/+$/, '');
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const call = (method: string, path: string, signal: AbortSignal | undefined, body?: unknown) =>
    callExternal({
      system: 'GenieACS',
      fetch: fetchFn,
      url: `${base}${path}`,
      method,
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs,
      signal,
    });
  const device = (deviceId: string) => `/devices/${encodeURIComponent(deviceId)}`;

  return {
    async findDeviceBySerial(serial, signal) {
      const query = encodeURIComponent(JSON.stringify({ '_deviceId._SerialNumber': serial }));
      const projection = '_id,_tags,Device.DeviceInfo.SerialNumber,InternetGatewayDevice.DeviceInfo.SerialNumber';
      const response = await call('GET', `/devices/?query=${query}&projection=${projection}`, signal);
      expectStatus(response.status, [200], 'GET /devices/', response.text);
      const found = expectShape('GenieACS', z.array(deviceDocument), parseJson('GenieACS', response.text), 'device list');
      const first = found[0];
      if (!first) return undefined;
      return { id: first._id, tags: first._tags ?? [], dataModel: 'Device' in first ? 'tr181' : 'tr098' };
    },

    async pendingTasks(deviceId, signal) {
      const query = encodeURIComponent(JSON.stringify({ device: deviceId }));
      const response = await call('GET', `/tasks/?query=${query}`, signal);
      expectStatus(response.status, [200], 'GET /tasks/', response.text);
      const tasks = expectShape('GenieACS', z.array(taskDocument), parseJson('GenieACS', response.text), 'task list');
      return tasks.map((task) => ({
        id: task._id,
        name: task.name,
        ...(task.parameterValues ? { parameterValues: task.parameterValues } : {}),
      }));
    },

    async queueTask(deviceId, task, signal) {
      const response = await call('POST', `${device(deviceId)}/tasks?connection_request&timeout=3000`, signal, task);
      if (response.status === 404) throw new AppError('NOT_FOUND', `GenieACS has no device ${deviceId}`);
      expectStatus(response.status, [200, 202], 'POST tasks', response.text);
      const queued = expectShape('GenieACS', taskDocument, parseJson('GenieACS', response.text), 'task');
      if (response.status === 200) return { status: 'applied', taskId: queued._id };
      // 202's reason phrase says why it did not run now: offline, connection request failed, or a fault.
      if (/fault/i.test(response.statusText)) return { status: 'faulted', taskId: queued._id, reason: response.statusText };
      return { status: 'queued', taskId: queued._id };
    },

    async addTag(deviceId, tag, signal) {
      const response = await call('POST', `${device(deviceId)}/tags/${encodeURIComponent(tag)}`, signal);
      expectStatus(response.status, [200], 'POST tags', response.text);
    },

    async removeTag(deviceId, tag, signal) {
      const response = await call('DELETE', `${device(deviceId)}/tags/${encodeURIComponent(tag)}`, signal);
      expectStatus(response.status, [200, 404], 'DELETE tags', response.text);
    },
  };
}

function expectStatus(status: number, expected: number[], what: string, body: string): void {
  if (!expected.includes(status)) {
    throw new AppError('EXTERNAL_UNAVAILABLE', `GenieACS answered ${status} to ${what}: ${body.slice(0, 200)}`, {
      retryable: false,
      details: { status },
    });
  }
}
