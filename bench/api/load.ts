import http from 'node:http';
import type { PostgresSample } from '../lib/postgres-meter.js';
import { percentile } from '../lib/stats.js';
import { isFullAnswer, type BenchQuery } from './queries.js';

/** Closed-loop HTTP load: CONNECTIONS keep-alive connections, each sending its next request when the previous answer is in. */

export interface Target {
  url: URL;
  token?: string;
  /** The server process's CPU time (ms) since the previous call. */
  cpuMs(): Promise<number>;
}

export interface Measured {
  requests: number;
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
  cpuCores: number;
  cpuUsPerRequest: number;
  /** PostgreSQL's CPU time per request (all its processes on this host). */
  databaseCpuUsPerRequest: number;
  /** Transactions the database counted per request (a statement outside a transaction is one). */
  transactionsPerRequest: number;
}

async function load(
  target: Target,
  query: BenchQuery,
  connections: number,
  seconds: number,
): Promise<{ latencies: number[]; errors: number; seconds: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const body = JSON.stringify({ query: query.query, variables: { first: query.first } });
  const headers = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
  };
  const { url } = target;
  const latencies: number[] = [];
  let errors = 0;
  let checked = 0;
  const request = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          latencies.push(performance.now() - t0);
          const text = Buffer.concat(chunks).toString();
          // Every answer is checked cheaply, one in a hundred in full.
          let good = res.statusCode === 200 && !text.includes('"errors"');
          if (good && checked++ % 100 === 0) good = isFullAnswer(text, query.first);
          if (!good) errors += 1;
          resolve();
        });
      });
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end(body);
    });
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) await request();
    }),
  );
  agent.destroy();
  return { latencies, errors, seconds: (performance.now() - started) / 1000 };
}

/** A warm-up, then the measured window. */
export async function measure(
  target: Target,
  query: BenchQuery,
  options: { connections: number; warmupSeconds: number; seconds: number; database: { sample(): Promise<PostgresSample> } },
): Promise<Measured> {
  await load(target, query, options.connections, options.warmupSeconds);
  await target.cpuMs();
  await options.database.sample();
  const result = await load(target, query, options.connections, options.seconds);
  const cpu = await target.cpuMs();
  const database = await options.database.sample();
  const sorted = [...result.latencies].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    errors: result.errors,
    perSecond: sorted.length / result.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    cpuCores: cpu / 1000 / result.seconds,
    cpuUsPerRequest: (cpu * 1000) / Math.max(1, sorted.length),
    databaseCpuUsPerRequest: (database.cpuMs * 1000) / Math.max(1, sorted.length),
    transactionsPerRequest: database.transactions / Math.max(1, sorted.length),
  };
}
