import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { MIGRATIONS } from '../../src/entities/migrations/index.js';
import { migrate, ormOptions } from '../../src/infra/database.js';
import { LOAD_CHILDREN } from '../../src/engine/store/sql.js';
import { STALLED_SCAN_SQL } from '../../src/workflows/stalled-opportunities.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

describe('migrations', () => {
  let database: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
    orm = await MikroORM.init(ormOptions(database.url, 4));
  });
  afterAll(async () => {
    await orm.close();
    await database.drop();
  });

  it('apply to an empty database, once, even when several processes start together', async () => {
    const before = await orm.em
      .fork()
      .getConnection()
      .execute<{ count: string }[]>(`select count(*) from information_schema.tables where table_schema = 'public'`);
    expect(Number(before[0]?.count)).toBe(0);

    const others = await Promise.all([1, 2].map(() => MikroORM.init(ormOptions(database.url, 2))));
    try {
      const applied = await Promise.all([migrate(orm, database.url), ...others.map((other) => migrate(other, database.url))]);
      expect(applied.flat()).toEqual(MIGRATIONS.map((migration) => migration.name));
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }

    const tables = await orm.em
      .fork()
      .getConnection()
      .execute<{ table_name: string }[]>(
        `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      );
    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['execution_steps', 'executions', 'tenants', 'users', 'workflow_versions', 'workflows']),
    );
    expect(await migrate(orm, database.url)).toEqual([]);
  });

  it('leave the schema exactly as the entities describe it', async () => {
    const drift = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(drift.trim()).toBe('');
  });

  /** The plan of `sql` with sequential scans off: on a nearly empty table the planner would pick one anyway; this asks only whether an index's predicate covers the statement, which is what lets it be used at scale. */
  async function planOf(sql: string): Promise<string> {
    const plan = await orm.em.fork().transactional(async (em) => {
      const connection = em.getConnection();
      await connection.execute('set local enable_seqscan = off', [], 'all', em.getTransactionContext());
      return connection.execute<Array<{ 'QUERY PLAN': unknown }>>(`explain (format json) ${sql}`, [], 'all', em.getTransactionContext());
    });
    return JSON.stringify(plan);
  }

  it('give the hourly stalled-opportunity scan an index of the open deals it can read', async () => {
    expect(await planOf(STALLED_SCAN_SQL.replace('$1', "'2026-01-01T00:00:00Z'::timestamptz"))).toContain(
      '"Index Name":"opportunities_open_stage_changed_at_index"',
    );
  });

  it("find a run's children through the index of runs that have a parent", async () => {
    expect(await planOf(LOAD_CHILDREN.replace('$1', "'00000000-0000-4000-8000-000000000000'::uuid"))).toContain(
      '"Index Name":"executions_parent_execution_id_index"',
    );
  });
});
