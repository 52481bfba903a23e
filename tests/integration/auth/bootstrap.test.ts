import { stat } from 'node:fs/promises';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { bootstrapAdmin } from '../../../src/auth/bootstrap-admin.js';
import { loadOrCreateJwtSecret } from '../../../src/auth/jwt-secret.js';
import { User } from '../../../src/entities/index.js';
import { ormOptions } from '../../../src/infra/database.js';
import { verifyPassword } from '../../../src/services/passwords.js';
import { MeDocument } from '../../generated/graphql.js';
import { TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, bearer, login } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer } from '../../helpers/server.js';

describe('first start', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    orm = await MikroORM.init(ormOptions(database.url, 4));
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-auth-'));
  });
  afterAll(async () => {
    await orm?.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates the default tenant and one admin, once, however many processes start together', async () => {
    const results = await Promise.all([1, 2, 3].map(() => bootstrapAdmin(orm, { email: ' Admin@Example.TEST ', password: undefined })));
    const created = results.filter((result) => result.created);
    expect(created).toHaveLength(1);
    const [first] = created;
    if (!first?.created) throw new Error('unreachable');
    expect(first.email).toBe('admin@example.test');
    expect(first.generatedPassword).toMatch(/^[\w-]{24}$/);

    const users = await orm.em.fork().find(User, {}, { populate: ['passwordHash', 'tenant'] });
    expect(users.map((user) => [user.email, user.role, user.tenant.getEntity().slug])).toEqual([
      ['admin@example.test', 'admin', 'default'],
    ]);
    expect(await verifyPassword(users[0]?.passwordHash ?? '', first.generatedPassword ?? '')).toBe(true);

    expect(await bootstrapAdmin(orm, { email: 'someone@example.test', password: 'a-chosen-password' })).toEqual({ created: false });
  });

  it('keeps a generated JWT secret in the data directory, readable by its owner only, the same on every start', async () => {
    const [a, b] = await Promise.all([loadOrCreateJwtSecret(dataDir), loadOrCreateJwtSecret(dataDir)]);
    expect(Buffer.from(a ?? []).equals(Buffer.from(b ?? []))).toBe(true);
    expect(a?.byteLength).toBeGreaterThanOrEqual(32);
    const file = path.join(dataDir, 'jwt-secret');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(new TextDecoder().decode(await loadOrCreateJwtSecret(dataDir))).toBe((await readFile(file, 'utf8')).trim());
  });

  it('accepts after a restart the tokens signed before it, when JWT_SECRET is not set', async () => {
    const secretDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-secret-'));
    const other = await createTestDatabase();
    const env = { JWT_SECRET: '', SWITCHYARD_DATA_DIR: secretDir };
    try {
      const first = await startTestServer({ databaseUrl: other.url, env });
      const { token } = await login(first.url, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD);
      await first.stop();
      const second = await startTestServer({ databaseUrl: other.url, env });
      try {
        expect((await execute(second.url, MeDocument, undefined, bearer(token))).data?.me.name).toBe(TEST_ADMIN_EMAIL);
      } finally {
        await second.stop();
      }
    } finally {
      await other.drop();
      await rm(secretDir, { recursive: true, force: true });
    }
  });
});
