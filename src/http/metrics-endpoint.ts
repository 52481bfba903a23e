import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import type { Metrics } from '../observability/metrics.js';

export const METRICS_PATH = '/metrics';

export type MetricsHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Answers `GET /metrics` in the Prometheus text format; with a token, only to `Authorization: Bearer <token>`. */
export function metricsHandler(metrics: Metrics, logger: Logger, token?: string): MetricsHandler {
  return (req, res) => {
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"' }).end();
      return;
    }
    metrics.render().then(
      (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text),
      (error: unknown) => {
        logger.error({ err: error }, 'metrics could not be rendered');
        res.writeHead(500).end();
      },
    );
  };
}

/** `/metrics` alone on a port of its own (METRICS_PORT), so that it need not be public. */
export async function startMetricsServer(deps: {
  port: number;
  host: string;
  handler: MetricsHandler;
}): Promise<{ port: number; stop(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] === METRICS_PATH) deps.handler(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
