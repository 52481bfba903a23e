import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createFlowControl, TENANT_LIMIT_TOPIC, type FlowControl } from '../../../src/engine/flow-control.js';
import type { WorkflowDefinition } from '../../../src/engine/definition/step-types.js';
import { withTransaction } from '../../../src/engine/store/transactions.js';
import { poolQueryable } from '../../../src/infra/queryable.js';
import { createLogger } from '../../../src/logger.js';
import { createRedisPubSub } from '../../../src/pubsub/redis.js';
import type { PubSub } from '../../../src/pubsub/types.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { testEnv } from '../../helpers/env.js';
import { eventually } from '../../helpers/eventually.js';

/**
 * A tenant's own concurrency limit, changed in one process, reaches the others through Redis as soon as
 * they hear of it. Each process's clock is stopped, so a limit it read is never forgotten by its TTL:
 * only the message makes it read the new one.
 *
 * Not on useTestEngine: what is tested is several processes, each a flow control with its own Redis
 * connections and its own stopped clock, sharing one database; an engine (one flow control, an in-process
 * pub/sub, the system clock) would be the wrong thing, and several would bring workers nobody needs.
 */
describe("a tenant's concurrency limit changed in one process, in the others", () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  const pubsubs: PubSub[] = [];
  const stops: Array<() => Promise<void>> = [];
  const tenantId = randomUUID();
  const logger = createLogger('silent');

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    await pool.query(`insert into tenants (id, slug, name, created_at) values ($1, $2, 'Limits', now())`, [
      tenantId,
      `limits-${tenantId.slice(0, 8)}`,
    ]);
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
    await Promise.all(pubsubs.map((pubsub) => pubsub.close()));
    await pool?.end();
    await database?.drop();
  });

  /** A process's flow control: its own Redis connections, a clock that never moves. */
  async function process(options: { listening: boolean }): Promise<FlowControl> {
    const pubsub = await createRedisPubSub(testEnv('redisUrl'));
    pubsubs.push(pubsub);
    const db = poolQueryable(pool);
    const flow = createFlowControl({
      tenantLimit: undefined,
      inTransaction: (work) => withTransaction(pool, work),
      db,
      wakeWorkers: () => undefined,
      publisher: pubsub,
      logger,
      now: () => 0,
    });
    if (options.listening) stops.push(await flow.listen(pubsub));
    return flow;
  }

  const limitIn = async (flow: FlowControl) =>
    (
      await flow.slotOf(poolQueryable(pool), {
        tenantId,
        workflowId: randomUUID(),
        definition: { steps: [] } as unknown as WorkflowDefinition,
        context: {},
        topLevel: true,
      })
    ).tenantLimit;
  const setLimit = (limit: number | null) => pool.query('update tenants set concurrency_limit = $2 where id = $1', [tenantId, limit]);

  it('applies at once where it was changed, and in every listening process as the message arrives', async () => {
    const [admin, other, deaf] = [
      await process({ listening: true }),
      await process({ listening: true }),
      await process({ listening: false }),
    ];
    // Each has read (and keeps) the tenant's limit: none.
    for (const flow of [admin, other, deaf]) expect(await limitIn(flow)).toBeUndefined();

    await setLimit(2);
    admin.tenantLimitChanged(tenantId);
    expect(await limitIn(admin)).toBe(2);
    await eventually(
      'the other process reads the new limit',
      () => limitIn(other),
      (limit) => limit === 2,
    );
    // One that does not listen keeps what it read until its TTL, which never passes here: the message did it.
    expect(await limitIn(deaf)).toBeUndefined();

    // Cleared: back to none (the configured limit) everywhere that listens.
    await setLimit(null);
    admin.tenantLimitChanged(tenantId);
    await eventually(
      'the other process forgets the limit',
      () => limitIn(other),
      (limit) => limit === undefined,
    );
    expect(await limitIn(admin)).toBeUndefined();
  });

  it('stops hearing once told to', async () => {
    const pubsub = await createRedisPubSub(testEnv('redisUrl'));
    pubsubs.push(pubsub);
    const flow = createFlowControl({
      tenantLimit: undefined,
      inTransaction: (work) => withTransaction(pool, work),
      db: poolQueryable(pool),
      wakeWorkers: () => undefined,
      logger,
      now: () => 0,
    });
    const stop = await flow.listen(pubsub);
    expect(await limitIn(flow)).toBeUndefined();
    await stop();
    await setLimit(3);
    const admin = await process({ listening: true });
    // Heard on the stopped listener's own connection: had it still listened, it would have heard it too.
    const heard = await pubsub.subscribe<{ tenantId: string }>(TENANT_LIMIT_TOPIC);
    admin.tenantLimitChanged(tenantId);
    expect((await heard.next()).value).toEqual({ tenantId });
    await heard.return?.();
    expect(await limitIn(flow)).toBeUndefined();
    await setLimit(null);
  });
});
