import type { Queryable } from '../../infra/queryable.js';
import type { ExecutionReads } from './read-models.js';
import { stepColumns, stepRecordOf, type StepRow } from './step-rows.js';
import { isUuid } from './uuids.js';

const STEP_COLUMNS = stepColumns('s.');

/** $1 tenant, $2 execution ids */
const STEPS_OF = `
select ${STEP_COLUMNS}
from execution_steps s
where s.execution_id in (select e.id from executions e where e.tenant_id = $1 and e.id = any($2::uuid[]))
order by s.execution_id, s.sequence, s.key`;

/** $1 tenant, $2 execution ids, $3 step keys: the pairs at the same place */
const STEPS_BY_KEY = `
select ${STEP_COLUMNS}
from unnest($2::uuid[], $3::text[]) as wanted(execution_id, key)
join execution_steps s on s.execution_id = wanted.execution_id and s.key = wanted.key
where s.execution_id in (select e.id from executions e where e.tenant_id = $1 and e.id = any($2::uuid[]))`;

/**
 * The API's reads of `execution_steps`, confined to one tenant through the steps' executions: a run's
 * steps, or single steps by run and key (a live event's step, a step panel's), each one statement for
 * any number of runs or steps. Ids that are no UUID name no run and are not sent.
 */
export function createStepReads(db: Queryable, tenantId: string): Pick<ExecutionReads, 'stepsOf' | 'stepsByKey'> {
  return {
    async stepsOf(executionIds) {
      const wanted = [...new Set(executionIds.filter(isUuid))];
      if (wanted.length === 0) return [];
      return (await db.query<StepRow>(STEPS_OF, [tenantId, wanted], 'switchyard_read_steps_of')).map(stepRecordOf);
    },
    async stepsByKey(steps) {
      const wanted = steps.filter((step) => isUuid(step.executionId));
      if (wanted.length === 0) return [];
      const params = [tenantId, wanted.map((step) => step.executionId), wanted.map((step) => step.key)];
      return (await db.query<StepRow>(STEPS_BY_KEY, params, 'switchyard_read_steps_by_key')).map(stepRecordOf);
    },
  };
}
