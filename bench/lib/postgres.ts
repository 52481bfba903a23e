import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres.js';

export interface BenchPostgres {
  /** URL of a fresh database on the server. */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
  describe: string;
}

/**
 * DATABASE_URL's server, or a throwaway embedded PostgreSQL with durable defaults (fsync and
 * synchronous_commit on): benchmarks measure durable commits.
 */
export async function benchPostgres(): Promise<BenchPostgres> {
  let serverUrl = process.env['DATABASE_URL'];
  let stop = async () => undefined;
  let describe = 'DATABASE_URL';
  if (!serverUrl) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-bench-'));
    const postgres = await startEmbeddedPostgres({ dataDir, settings: { max_connections: '300', shared_buffers: '256MB' } });
    serverUrl = postgres.url;
    describe = 'embedded PostgreSQL 18 (fsync on, synchronous_commit on)';
    stop = async () => {
      await postgres.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const admin = serverUrl;
  return {
    describe,
    async database(name) {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
        await client.query(`create database ${pg.escapeIdentifier(name)}`);
        const settings = await client.query<{ synchronous_commit: string }>('show synchronous_commit');
        if (settings.rows[0]?.synchronous_commit !== 'on')
          throw new Error('synchronous_commit is not on: the benchmark would not measure durable commits');
      } finally {
        await client.end();
      }
      const url = new URL(admin);
      url.pathname = `/${name}`;
      return url.toString();
    },
    stop,
  };
}
