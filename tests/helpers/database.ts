import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { testEnv } from './env.js';

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(serverUrl: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A database of this test file's own: a copy of the migrated template, or empty. */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = testEnv('postgresUrl');
  const name = `sy_test_${randomBytes(6).toString('hex')}`;
  const template = options.empty ? 'template0' : testEnv('templateDatabase');
  await adminQuery(serverUrl, `create database "${name}" template "${template}"`);
  return {
    name,
    url: databaseUrl(serverUrl, name),
    async drop() {
      await adminQuery(serverUrl, `drop database if exists "${name}" with (force)`);
    },
  };
}
