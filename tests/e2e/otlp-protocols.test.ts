import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startOtlpReceiver, type OtlpReceiver } from '../../bench/lib/otlp-receiver.js';

/**
 * Issue 14: the exporter is the one the standard variables describe, in both encodings the issue names.
 * A process started the way `npm start` starts the server (the tracing preload, configured by the
 * environment alone) makes one span and shuts the SDK down, which exports it to a receiver here.
 */
const PRELOAD = path.resolve('dist/src/observability/tracing/preload.js');
const SDK = pathToFileURL(path.resolve('dist/src/observability/tracing/sdk.js')).href;
const SCRIPT = `
  import { trace } from '@opentelemetry/api';
  const { activeTracing } = await import(${JSON.stringify(SDK)});
  console.log(activeTracing() ? 'tracing' : 'off');
  trace.getTracer('probe').startSpan('probe span').end();
  await activeTracing()?.shutdown();
`;

async function runTraced(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', PRELOAD, '--input-type=module', '--eval', SCRIPT], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout: stdout.trim(), stderr };
}

describe('OTLP export as the environment asks for it', () => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(() => receiver?.close());

  it('sends http/json, named by OTEL_SERVICE_NAME', async () => {
    const run = await runTraced({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'switchyard-probe',
    });
    expect(run).toEqual({ code: 0, stdout: 'tracing', stderr: '' });
    expect(receiver.spans.map((span) => [span.name, span.service])).toEqual([['probe span', 'switchyard-probe']]);
  }, 60_000);

  it('sends http/protobuf (the default) when asked or when no protocol is named', async () => {
    for (const protocol of [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }, {}] as Array<Record<string, string>>) {
      const before = receiver.requests.spans;
      expect(await runTraced({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...protocol })).toEqual({
        code: 0,
        stdout: 'tracing',
        stderr: '',
      });
      // Counted from the protobuf body; the receiver parses (and keeps) JSON exports only.
      expect(receiver.requests.spans - before).toBe(1);
    }
    expect(receiver.spans).toEqual([]);
  }, 60_000);

  it('exports nothing, and starts no SDK, without an endpoint', async () => {
    expect(await runTraced({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toEqual({ code: 0, stdout: 'off', stderr: '' });
    expect(receiver.requests.count).toBe(0);
  }, 60_000);
});
