import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * A small OTLP/HTTP trace receiver on a loopback port, as a collector would be: `POST /v1/traces` in
 * `http/json` (spans kept, parsed) or `http/protobuf` (counted by bytes only). For the tests of traces
 * and the tracing-on benchmark.
 */

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: number;
  service: string | undefined;
  scope: string | undefined;
  attributes: Record<string, string | number | boolean>;
  links: { traceId: string; spanId: string }[];
  status: { code: number; message?: string };
  startNanos: bigint;
  endNanos: bigint;
}

export interface OtlpReceiver {
  /** The base URL to give as OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly url: string;
  readonly spans: ReceivedSpan[];
  /** Export requests received, their bodies' bytes, and the spans in them (both encodings). */
  readonly requests: { count: number; bytes: number; spans: number };
  /** Resolves once the spans received satisfy `done` (checked as each export arrives); rejects after `timeoutMs`. */
  waitFor(done: (spans: readonly ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value?: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  attributes?: OtlpAttribute[];
  links?: { traceId: string; spanId: string }[];
  status?: { code?: number; message?: string };
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
}
interface OtlpExport {
  resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[] }[];
}

function valueOf(value: OtlpValue | undefined): string | number | boolean {
  if (!value) return '';
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  return '';
}

function attributesOf(list: OtlpAttribute[] | undefined): Record<string, string | number | boolean> {
  return Object.fromEntries((list ?? []).map((attribute) => [attribute.key, valueOf(attribute.value)]));
}

/** OTLP/JSON ids are hex; older exporters sent base64. */
function hexId(id: string | undefined): string | undefined {
  if (!id) return undefined;
  return /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}

export function parseOtlpJson(body: OtlpExport): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of body.resourceSpans ?? []) {
    const service = attributesOf(resourceSpans.resource?.attributes)['service.name'];
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        spans.push({
          traceId: hexId(span.traceId) ?? '',
          spanId: hexId(span.spanId) ?? '',
          parentSpanId: hexId(span.parentSpanId),
          name: span.name,
          kind: span.kind ?? 0,
          service: typeof service === 'string' ? service : undefined,
          scope: scopeSpans.scope?.name,
          attributes: attributesOf(span.attributes),
          links: (span.links ?? []).map((link) => ({ traceId: hexId(link.traceId) ?? '', spanId: hexId(link.spanId) ?? '' })),
          status: { code: span.status?.code ?? 0, ...(span.status?.message ? { message: span.status.message } : {}) },
          startNanos: BigInt(span.startTimeUnixNano),
          endNanos: BigInt(span.endTimeUnixNano),
        });
      }
    }
  }
  return spans;
}

/** Protobuf fields of one message: field number and, for length-delimited ones, their bytes. */
function* protobufFields(buffer: Buffer): Generator<{ field: number; bytes?: Buffer }> {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = buffer[at++];
      if (byte === undefined) throw new Error('truncated protobuf');
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  };
  while (at < buffer.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    switch (key & 7) {
      case 0:
        varint();
        yield { field };
        break;
      case 1:
        at += 8;
        yield { field };
        break;
      case 2: {
        const length = varint();
        yield { field, bytes: buffer.subarray(at, at + length) };
        at += length;
        break;
      }
      case 5:
        at += 4;
        yield { field };
        break;
      default:
        throw new Error('unsupported protobuf wire type');
    }
  }
}

/** Spans in an OTLP/protobuf ExportTraceServiceRequest: resource_spans (1) → scope_spans (2) → spans (2). */
export function countProtobufSpans(body: Buffer): number {
  let count = 0;
  for (const resource of protobufFields(body)) {
    if (resource.field !== 1 || !resource.bytes) continue;
    for (const scope of protobufFields(resource.bytes)) {
      if (scope.field !== 2 || !scope.bytes) continue;
      for (const span of protobufFields(scope.bytes)) if (span.field === 2) count += 1;
    }
  }
  return count;
}

export async function startOtlpReceiver(options: { keepSpans?: boolean } = {}): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const requests = { count: 0, bytes: 0, spans: 0 };
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.startsWith('/v1/traces')) {
        res.writeHead(404).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      requests.count += 1;
      requests.bytes += body.length;
      const json = (req.headers['content-type'] ?? '').includes('json');
      try {
        if (json) {
          const received = parseOtlpJson(JSON.parse(body.toString('utf8')) as OtlpExport);
          requests.spans += received.length;
          if (options.keepSpans !== false) spans.push(...received);
        } else {
          requests.spans += countProtobufSpans(body);
        }
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":3,"message":"not an OTLP export"}');
        return;
      }
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : '');
      for (const wake of [...waiters]) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests,
    waitFor(done, timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!done(spans)) return;
          finish();
          resolve();
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`the expected spans did not arrive within ${timeoutMs} ms; got: ${spans.map((span) => span.name).join(', ')}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
