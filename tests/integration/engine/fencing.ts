import { createCheckpointWriter } from '../../../src/engine/runtime/checkpoint-writer.js';
import { LeaseLostError } from '../../../src/engine/runtime/errors.js';
import { poolQueryable } from '../../../src/infra/queryable.js';
import { CLAIM, RECOVER } from '../../../src/engine/store/sql.js';
import { createLogger } from '../../../src/logger.js';
import { useTestEngine } from '../../helpers/engine.js';

/** A worker that stalled past its lease (paused, partitioned) must not overwrite the worker that took over. */
describe('engine: fenced leases', () => {
  const t = useTestEngine({ config: { leaseSeconds: 1 }, worker: false });

  beforeAll(async () => {
    await t.engine.workflows.save({
      tenantId: t.tenantId,
      name: 'fenced',
      definition: { steps: [{ name: 'only', type: 'transform', output: { by: 'x' } }] },
    });
  });

  it("rejects the stale holder's checkpoint and keeps the new holder's", async () => {
    const { executionId } = await t.engine.start({ tenantId: t.tenantId, workflow: 'fenced' });
    const db = poolQueryable(t.pool);
    const claim = async (owner: string) =>
      (await db.query<{ id: string; lease_epoch: string }>(CLAIM, [owner, 1, 10, 0])).find((row) => row.id === executionId);

    const stale = await claim('worker-a');
    expect(stale).toBeDefined();
    // While A's lease is valid nobody else gets it, and the recovery scan leaves it alone.
    expect(await claim('worker-b')).toBeUndefined();
    expect(await db.query(RECOVER, [100])).toEqual([]);
    // A stalls past its lease (its heartbeat stopped): the scan releases the run and B claims it.
    await db.query("update executions set lease_expires_at = now() - interval '1 second' where id = $1", [executionId]);
    expect(await db.query(RECOVER, [100])).toEqual([{ id: executionId }]);
    const current = await claim('worker-b');
    expect(Number(current?.lease_epoch)).toBe(Number(stale?.lease_epoch) + 1);

    const writer = createCheckpointWriter({ queryable: db, publisher: t.pubsub, logger: createLogger('silent'), leaseSeconds: 1 });
    const checkpoint = (epoch: number, by: string) => ({
      executionId,
      tenantId: t.tenantId,
      epoch,
      steps: [{ key: 'only', name: 'only', type: 'transform', sequence: 1, status: 'completed' as const, attempts: 1, output: { by } }],
      events: [{ type: 'step.completed', stepKey: 'only', payload: { by } }],
      waits: [],
    });
    await writer.write(checkpoint(Number(current?.lease_epoch), 'b'));
    await expect(writer.write(checkpoint(Number(stale?.lease_epoch), 'a'))).rejects.toBeInstanceOf(LeaseLostError);

    const steps = await t.steps(executionId);
    expect(steps).toEqual([expect.objectContaining({ key: 'only', output: { by: 'b' } })]);
    const events = await t.events(executionId);
    expect(events.filter((event) => event.type === 'step.completed')).toHaveLength(1);
  });
});
