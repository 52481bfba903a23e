import {
  ChangeSetType,
  type ChangeSet,
  type EntityManager,
  type EventSubscriber,
  type FlushEventArgs,
  type TransactionEventArgs,
} from '@mikro-orm/core';
import { lineageTargetOf, type LineageNotes } from '../../entities/lineage-records.js';
import type { LineageAction, RecordType } from '../../entities/record-lineage.entity.js';
import type { Clock } from '../ports.js';

/** Whose changes a recorder records: one attempt of one step of one run. */
export interface LineageScope {
  readonly tenantId: string;
  readonly executionId: string;
  readonly stepKey: string;
}

/** One statement whatever the number of records; a record this step already has a row for adds nothing. */
const INSERT_LINEAGE = `
insert into record_lineage (tenant_id, record_type, record_id, execution_id, step_key, action, at)
select ?::uuid, x.record_type, x.record_id, ?::uuid, ?, x.action, ?::timestamptz
from jsonb_to_recordset(?::jsonb) as x(record_type text, record_id uuid, action text)
on conflict do nothing`;

type Pending = Map<string, { type: RecordType; id: string; action: LineageAction }>;

/** Adds the tracked rows of `changeSets` to `pending`: a record created here stays `created` whatever else changed it. */
function collect(pending: Pending, changeSets: readonly ChangeSet<object>[]): void {
  for (const changeSet of changeSets) {
    if (changeSet.type === ChangeSetType.DELETE || changeSet.type === ChangeSetType.DELETE_EARLY) continue;
    const target = lineageTargetOf(changeSet.entity);
    if (!target) continue;
    const action: LineageAction = changeSet.type === ChangeSetType.CREATE && !target.part ? 'created' : 'updated';
    const key = `${target.type}:${target.id}`;
    if (pending.get(key)?.action !== 'created') pending.set(key, { type: target.type, id: target.id, action });
  }
}

/**
 * Records which run and step created or changed each tracked domain record (entities/lineage-records.ts),
 * once for every service method: registered only on the EntityManager fork a step's service call gets
 * (service-calls.ts, through transactions.ts `forkWith`; the forks of its transactions inherit it), so a
 * request's changes are never recorded. Rows are written in the transaction that made the changes, just before it commits — one
 * insert per commit, none when nothing tracked changed:
 *
 * - a flush inside an explicit transaction (the step transaction of a local method, or one a method opens)
 *   leaves its changes pending until that transaction's commit;
 * - a flush that commits by itself (a fork outside any transaction) is written in its own transaction;
 * - a rolled-back transaction forgets what it had pending;
 * - a change made by SQL of the method's own is noted by the method (`noteRecordChanged`): pending like a
 *   flush's inside a transaction, written at once outside one.
 */
export class LineageRecorder implements EventSubscriber, LineageNotes {
  private readonly pending: Pending = new Map();

  constructor(
    private readonly scope: LineageScope,
    private readonly clock: Clock,
  ) {}

  afterFlush(args: FlushEventArgs): void {
    // Outside a transaction the flush has already committed, its rows written at that commit (below).
    if (args.em.isInTransaction()) collect(this.pending, args.uow.getChangeSets());
  }

  async noteChanged(em: EntityManager, record: { type: RecordType; id: string }): Promise<void> {
    const key = `${record.type}:${record.id}`;
    if (this.pending.get(key)?.action !== 'created') this.pending.set(key, { type: record.type, id: record.id, action: 'updated' });
    // Outside a transaction the change has committed already: so does its lineage.
    if (!em.isInTransaction()) await this.write(em, undefined);
  }

  async beforeTransactionCommit(args: TransactionEventArgs): Promise<void> {
    // A flush's own transaction brings its unit of work: its change sets are not pending yet.
    if (args.uow) collect(this.pending, args.uow.getChangeSets());
    await this.write(args.em, args.transaction);
  }

  private async write(em: EntityManager, transaction: TransactionEventArgs['transaction']): Promise<void> {
    if (this.pending.size === 0) return;
    const rows = [...this.pending.values()].map((row) => ({ record_type: row.type, record_id: row.id, action: row.action }));
    this.pending.clear();
    const { tenantId, executionId, stepKey } = this.scope;
    await em
      .getConnection('write')
      .execute(INSERT_LINEAGE, [tenantId, executionId, stepKey, this.clock.now(), JSON.stringify(rows)], 'run', transaction);
  }

  afterTransactionRollback(): void {
    this.pending.clear();
  }
}
