import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';

/** One dependency or component `/readyz` asks about; `check` rejects when it is not ready. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface Readiness {
  ready: boolean;
  body: { status: 'ready' | 'not ready'; checks: Record<string, 'ok' | 'unavailable'> };
}

/** Runs every check at once; a failing one is logged and named in the answer. */
export async function evaluateReadiness(checks: readonly ReadinessCheck[], logger: Logger): Promise<Readiness> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      try {
        await check();
        return [name, 'ok'] as const;
      } catch (error) {
        logger.warn({ err: error, check: name }, 'readiness check failed');
        return [name, 'unavailable'] as const;
      }
    }),
  );
  const ready = results.every(([, status]) => status === 'ok');
  return { ready, body: { status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) } };
}

/**
 * `/healthz` and `/readyz` for a process that serves no API (a worker, a scheduler), so that a
 * supervisor can probe it like an API process. Nothing else is served there.
 */
export async function startHealthServer(deps: {
  port: number;
  host: string;
  checks: readonly ReadinessCheck[];
  logger: Logger;
}): Promise<{ port: number; stop(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { status: 'method not allowed' });
    if (req.url === '/healthz') return send(200, { status: 'ok' });
    if (req.url === '/readyz') {
      void evaluateReadiness(deps.checks, deps.logger).then(({ ready, body }) => send(ready ? 200 : 503, body));
      return;
    }
    send(404, { status: 'not found' });
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
