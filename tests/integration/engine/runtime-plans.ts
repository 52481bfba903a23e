import * as statements from '../../../src/engine/store/sql.js';
import { useTestEngine } from '../../helpers/engine.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const seqScans = (node: PlanNode): string[] => [
  ...(node['Node Type'] === 'Seq Scan' ? [node['Relation Name'] ?? '?'] : []),
  ...(node.Plans ?? []).flatMap(seqScans),
];

/**
 * A prepared statement keeps its generic plan until the table's statistics change. Planned while the
 * tables were nearly empty (this suite's database is new, as a fresh install's is), CHECKPOINT read the
 * whole executions table on every batch once it had grown; the engine's connections price sequential
 * scans out (infra/pg-pool.ts createEnginePool), so every runtime statement goes by index however small
 * its tables were when it was planned.
 */
describe('engine: the runtime statements read by index, whatever the size of the tables they were planned on', () => {
  const t = useTestEngine({ worker: false });

  it.each(Object.entries(statements).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))(
    '%s',
    async (name, text) => {
      const parameters = Math.max(0, ...(text.match(/\$\d+/g) ?? []).map((parameter) => Number(parameter.slice(1))));
      const client = await t.pool.connect();
      try {
        await client.query('set plan_cache_mode = force_generic_plan');
        await client.query(`prepare runtime_plan as ${text}`);
        const args = Array.from({ length: parameters }, () => 'null').join(', ');
        const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
          `explain (format json) execute runtime_plan${parameters > 0 ? `(${args})` : ''}`,
        );
        expect({ name, seqScans: seqScans(rows[0]!['QUERY PLAN'][0]!.Plan) }).toEqual({ name, seqScans: [] });
      } finally {
        await client.query('deallocate all; reset plan_cache_mode');
        client.release();
      }
    },
  );
});
