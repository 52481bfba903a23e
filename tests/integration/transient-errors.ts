import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { AppError } from '../../src/errors.js';
import { toRecordedError } from '../../src/engine/runtime/errors.js';
import { ormOptions } from '../../src/infra/database.js';
import { isTransientInfrastructureError } from '../../src/infra/transient-errors.js';
import { adminQuery, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { testEnv } from '../helpers/env.js';

// Errors are kept as thrown (not through coerceError): Node's own errors come from outside jest's
// realm, so `instanceof Error` is false for them here.

/** What `run` rejects with; fails the test when it resolves. */
async function rejection(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure, the call succeeded');
}

function terminateBackend(pid: number): Promise<unknown> {
  return adminQuery(testEnv('postgresUrl'), 'select pg_terminate_backend($1)', [pid]);
}

describe('transient infrastructure errors, as the drivers really raise them', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('pg: a terminated backend (57P01 or a lost connection) is transient and recorded as TRANSIENT, retryable', async () => {
    const client = new pg.Client({ connectionString: db.url });
    client.on('error', () => undefined);
    await client.connect();
    await terminateBackend((await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid);
    const error = await rejection(() => client.query('select 1'));
    await client.end().catch(() => undefined);
    expect(isTransientInfrastructureError(error)).toBe(true);
    expect(toRecordedError(error)).toMatchObject({ code: 'TRANSIENT', retryable: true });
  });

  it('MikroORM: a terminated backend inside a transaction is transient', async () => {
    const orm = await MikroORM.init(ormOptions(db.url, 1));
    try {
      const error = await rejection(() =>
        orm.em.fork().transactional(async (tx) => {
          const run = (sql: string) => tx.getConnection().execute<Array<{ pid: number }>>(sql, [], 'all', tx.getTransactionContext());
          const [row] = await run('select pg_backend_pid() as pid');
          await terminateBackend(row!.pid);
          await run('select 1');
        }),
      );
      expect(isTransientInfrastructureError(error)).toBe(true);
      // The pool replaces the lost connection: the next unit of work succeeds.
      await expect(orm.em.fork().getConnection().execute('select 1 as ok')).resolves.toEqual([{ ok: 1 }]);
    } finally {
      await orm.close();
    }
  });

  it('a refused connection is transient', async () => {
    const closedPort = new URL(db.url);
    closedPort.port = '1';
    const client = new pg.Client({ connectionString: closedPort.toString() });
    const error = await rejection(() => client.connect());
    expect(isTransientInfrastructureError(error)).toBe(true);
  });

  it('a defect, a constraint violation and a typed domain error are not', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const violation = await rejection(() => client.query('select 1 / 0'));
    await client.end();
    expect(isTransientInfrastructureError(violation)).toBe(false);
    expect(isTransientInfrastructureError(new TypeError('x is undefined'))).toBe(false);
    expect(toRecordedError(new TypeError('x is undefined'))).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', retryable: false });
    expect(toRecordedError(new AppError('NOT_FOUND', 'no lead'))).toMatchObject({ code: 'NOT_FOUND', retryable: false });
  });

  it('looks through wrappers to the cause', () => {
    const lost = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(isTransientInfrastructureError(new Error('the step transaction failed', { cause: lost }))).toBe(true);
  });
});
