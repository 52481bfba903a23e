import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { LineageRecorder } from '../../../src/engine/store/lineage-recorder.js';
import { forkWith } from '../../../src/engine/store/transactions.js';
import { Customer } from '../../../src/entities/customer.entity.js';
import { noteRecordChanged } from '../../../src/entities/lineage-records.js';
import { Tenant } from '../../../src/entities/tenant.entity.js';
import { useTestEngine } from '../../helpers/engine.js';
import { withStatements } from '../api/support.js';

/**
 * The recorder on its own, against PostgreSQL: what it writes for flushes inside and outside a
 * transaction, how many statements, and that nothing else's changes are recorded.
 */
describe('lineage recorder', () => {
  const t = useTestEngine({ worker: false });
  const at = new Date('2026-12-02T12:00:00.000Z');

  const recorder = (executionId: string, stepKey = 'step') =>
    new LineageRecorder({ tenantId: t.tenantId, executionId, stepKey }, { now: () => at });
  const customer = (em: ReturnType<MikroORM['em']['fork']>, name: string) =>
    em.create(Customer, { tenant: t.tenantId, name, email: `${name}-${randomUUID()}@lineage.example` });
  const rowsOf = (executionId: string) =>
    t.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ record_type: string; record_id: string; step_key: string; action: string; at: string; tenant_id: string }>>(
        `select record_type, record_id, step_key, action, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, tenant_id
         from record_lineage where execution_id = ? order by action, record_id`,
        [executionId],
      );
  const inserts = (statements: string[]) => statements.filter((sql) => sql.startsWith('insert into record_lineage'));

  it('writes what a transaction created and changed in one insert, just before it commits', async () => {
    const executionId = randomUUID();
    const { result: ids, statements } = await withStatements(() =>
      forkWith(t.orm, recorder(executionId)).transactional(async (em) => {
        const first = customer(em, 'first');
        await em.flush();
        first.name = 'first, renamed';
        const second = customer(em, 'second');
        await em.flush();
        return [first.id, second.id].sort();
      }),
    );
    expect(inserts(statements)).toHaveLength(1);
    // Created, then changed in the same step: it was created there.
    expect(await rowsOf(executionId)).toEqual(
      ids.map((id) => ({
        record_type: 'customer',
        record_id: id,
        step_key: 'step',
        action: 'created',
        at: at.toISOString(),
        tenant_id: t.tenantId,
      })),
    );
  });

  it('writes a flush outside a transaction in its own, and a later change as updated', async () => {
    const executionId = randomUUID();
    const em = forkWith(t.orm, recorder(executionId));
    const made = customer(em, 'alone');
    await em.flush();
    made.phone = '+1 555 0100';
    await em.flush();
    expect((await rowsOf(executionId)).map((row) => [row.record_id, row.action])).toEqual([
      [made.id, 'created'],
      [made.id, 'updated'],
    ]);
  });

  it('writes nothing for a rolled-back transaction, nor carries it into the next', async () => {
    const executionId = randomUUID();
    const em = forkWith(t.orm, recorder(executionId));
    await expect(
      em.transactional(async (transactional) => {
        customer(transactional, 'rolled-back');
        await transactional.flush();
        throw new Error('the step failed');
      }),
    ).rejects.toThrow('the step failed');
    expect(await rowsOf(executionId)).toEqual([]);

    const kept = await em.transactional(async (transactional) => {
      const made = customer(transactional, 'kept');
      await transactional.flush();
      return made.id;
    });
    expect((await rowsOf(executionId)).map((row) => row.record_id)).toEqual([kept]);
  });

  it('writes nothing when nothing tracked changed, and never for an EntityManager it was not given to', async () => {
    const executionId = randomUUID();
    const { statements } = await withStatements(async () => {
      await forkWith(t.orm, recorder(executionId)).transactional(async (em) => {
        em.create(Tenant, { slug: `untracked-${randomUUID().slice(0, 8)}`, name: 'Untracked' });
        await em.flush();
      });
      // A request's EntityManager, made after a recorder was given to another: not recorded.
      const request = t.orm.em.fork();
      customer(request, 'by-hand');
      await request.flush();
    });
    expect(inserts(statements)).toEqual([]);
    expect(await rowsOf(executionId)).toEqual([]);
  });

  it("records a change a method noted (SQL of its own): with the transaction's commit, at once outside one, never for a request", async () => {
    const executionId = randomUUID();
    const partner = { type: 'partner' as const, id: randomUUID() };
    const { statements } = await withStatements(() =>
      forkWith(t.orm, recorder(executionId, 'in')).transactional(async (em) => {
        const made = customer(em, 'noted');
        await em.flush();
        await noteRecordChanged(em, partner);
        // A record created in the step stays created.
        await noteRecordChanged(em, { type: 'customer', id: made.id });
      }),
    );
    expect(inserts(statements)).toHaveLength(1);
    expect((await rowsOf(executionId)).map((row) => [row.record_type, row.step_key, row.action])).toEqual([
      ['customer', 'in', 'created'],
      ['partner', 'in', 'updated'],
    ]);

    const alone = randomUUID();
    await noteRecordChanged(forkWith(t.orm, recorder(alone, 'out')), partner);
    expect((await rowsOf(alone)).map((row) => [row.record_id, row.step_key, row.action])).toEqual([[partner.id, 'out', 'updated']]);

    const { statements: byHand } = await withStatements(() => noteRecordChanged(t.orm.em.fork(), partner));
    expect(inserts(byHand)).toEqual([]);
  });
});
