import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { useCan } from '../auth/ViewerProvider';
import { PauseScheduleDocument, ResumeScheduleDocument, WorkflowSchedulesDocument, type ScheduleRowFragment } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatTime } from '../ui/format';

function ScheduleItem({ schedule }: { schedule: ScheduleRowFragment }) {
  const canManage = useCan('SCHEDULE_MANAGE');
  const [paused, pause] = useMutation(PauseScheduleDocument);
  const [resumed, resume] = useMutation(ResumeScheduleDocument);
  const names = { workflow: schedule.workflow, name: schedule.name };
  const error = paused.error ?? resumed.error;
  return (
    <tr data-schedule={schedule.name}>
      <td>{schedule.name}</td>
      <td>
        <code>{schedule.cron}</code> <span className="muted">{schedule.timezone}</span>
      </td>
      <td data-field="state">{schedule.paused ? 'paused' : 'active'}</td>
      <td data-field="next">{schedule.nextFireTimes.length ? schedule.nextFireTimes.map((at) => formatTime(at)).join(', ') : '—'}</td>
      <td>
        {formatTime(schedule.lastFiredAt)}
        {schedule.lastExecutionId ? (
          <>
            {' '}
            <Link to={`/executions/${schedule.lastExecutionId}`}>run</Link>
          </>
        ) : null}
      </td>
      <td>
        {canManage ? (
          schedule.paused ? (
            <button type="button" disabled={resumed.fetching} onClick={() => void resume(names)}>
              Resume
            </button>
          ) : (
            <button type="button" disabled={paused.fetching} onClick={() => void pause(names)}>
              Pause
            </button>
          )
        ) : null}
        {error ? <ErrorNotice error={error} /> : null}
      </td>
    </tr>
  );
}

/** The workflow's cron schedules: next ticks, the last one, pause and resume (with SCHEDULE_MANAGE). */
export function Schedules({ workflow }: { workflow: string }) {
  const [{ data, error }] = useQuery({ query: WorkflowSchedulesDocument, variables: { workflow } });
  if (error) return <ErrorNotice error={error} />;
  const schedules = data?.schedules;
  if (!schedules) return <p className="muted">Loading…</p>;
  if (schedules.length === 0) {
    return <p className="muted">No schedules. Add one to the definition&apos;s <code>schedules</code> (a cron, a time zone, the run&apos;s input) and save a version.</p>;
  }
  return (
    <table className="executions schedules">
      <thead>
        <tr>
          <th scope="col">Schedule</th>
          <th scope="col">Cron</th>
          <th scope="col">State</th>
          <th scope="col">Next ticks</th>
          <th scope="col">Last tick</th>
          <th scope="col" aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {schedules.map((schedule) => (
          <ScheduleItem key={schedule.id} schedule={schedule} />
        ))}
      </tbody>
    </table>
  );
}
