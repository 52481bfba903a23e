import { useEffect, useMemo, useRef } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useCan } from '../auth/ViewerProvider';
import { RunRecordsDocument, type RunStepFragment } from '../generated/graphql';
import { RECORD_TYPES, recordPath } from '../records/records';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatTime } from '../ui/format';

/** A step's changes to records commit (with their lineage) as it ends or is compensated. */
const ENDED = new Set(['COMPLETED', 'FAILED']);

interface Props {
  runId: string;
  /** The run's steps as they are now (live): the list is read again when one more has ended or been compensated. */
  steps: readonly RunStepFragment[];
  onSelectStep(key: string): void;
}

/**
 * The domain records the run's steps created or changed (`Execution.touchedRecords`), in the order they
 * did, each linking to the record's page (its lineage); read again when a step's changes commit. Not
 * shown to a viewer who may not see customer records (`crm:view`).
 */
export function RunRecords({ runId, steps, onSelectStep }: Props) {
  const allowed = useCan('CRM_VIEW');
  const [{ data, error }, reexecute] = useQuery({ query: RunRecordsDocument.toString(), variables: { id: runId }, pause: !allowed });
  const commits = useMemo(
    () => steps.filter((step) => ENDED.has(step.status)).length + steps.filter((step) => step.compensation).length,
    [steps],
  );
  const seen = useRef(commits);
  useEffect(() => {
    if (commits === seen.current || !allowed) return;
    seen.current = commits;
    reexecute({ requestPolicy: 'network-only' });
  }, [commits, allowed, reexecute]);

  const records = data?.execution.touchedRecords ?? [];
  if (!allowed) return null;
  return (
    <section className="run-records" aria-label="Records">
      <h2>Records</h2>
      {error ? <ErrorNotice error={error} /> : null}
      {data && records.length === 0 ? <p className="muted">Its steps have created or changed no record.</p> : null}
      {records.length ? (
        <table className="executions">
          <thead>
            <tr>
              <th scope="col">Record</th>
              <th scope="col">Step</th>
              <th scope="col">What it did</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {records.map((record) => (
              <tr key={`${record.type}:${record.id}:${record.step}:${record.at}`} data-record={`${record.type}:${record.id}`}>
                <td>
                  {RECORD_TYPES[record.type].label} <Link to={recordPath(record.type, record.id)}>{record.id}</Link>
                </td>
                <td>
                  <button type="button" className="link" onClick={() => onSelectStep(record.step)}>
                    {record.step}
                  </button>
                </td>
                <td>{record.action.toLowerCase()}</td>
                <td>{formatTime(record.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
