// Prints the SQL that would bring a database migrated with every migration in sync with the entities.
// Empty output: migrations and entities agree. Use it to write a new migration after changing entities:
//   npm run build && node scripts/schema-diff.mjs
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase, ensureDatabase, migrate } from '../dist/src/infra/database.js';
import { startEmbeddedPostgres } from '../dist/src/infra/embedded-postgres.js';
import { createLogger } from '../dist/src/logger.js';

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-schema-diff-'));
const postgres = await startEmbeddedPostgres({ dataDir, settings: { fsync: 'off' } });
try {
  const url = await ensureDatabase(postgres.url, 'diff');
  const orm = await connectDatabase(url, 2, createLogger('silent'));
  try {
    await migrate(orm, url);
    process.stdout.write(await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false }));
  } finally {
    await orm.close();
  }
} finally {
  await postgres.stop();
  await rm(dataDir, { recursive: true, force: true });
}
