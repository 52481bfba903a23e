import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { useCan } from '../auth/ViewerProvider';
import { PauseScheduleDocument, ResumeScheduleDocument, WorkflowSchedulesDocument, type ScheduleRowFragment } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatTime } from '../ui/format';
import { SoftDisabledButton } from '../ui/SoftDisabledButton';

/** A tick a schedule handled: when, what it did, the run it started. */
export interface ScheduleTick {
  tickAt: string;
  status: string;
  ticks: number;
  executionId?: string | null;
  error?: Record<string, unknown> | null;
}

export type ScheduleWithTicks = ScheduleRowFragment & { runs?: readonly ScheduleTick[] };

function Ticks({ runs }: { runs: readonly ScheduleTick[] }) {
  if (runs.length === 0) return <span className="muted">none yet</span>;
  return (
    <ul className="deliveries">
      {runs.map((run) => (
        <li key={run.tickAt} data-tick-status={run.status}>
          {formatTime(run.tickAt)}{' '}
          <span className="status" data-status={run.status === 'STARTED' ? 'COMPLETED' : run.status === 'FAILED' ? 'FAILED' : 'SKIPPED'}>
            {run.status.toLowerCase()}
          </span>
          {run.ticks > 1 ? ` ×${run.ticks}` : ''} {run.executionId ? <Link to={`/executions/${run.executionId}`}>run</Link> : null}
          {run.error && typeof run.error['code'] === 'string' ? <code className="delivery-error"> {run.error['code']}</code> : null}
        </li>
      ))}
    </ul>
  );
}

function ScheduleItem({ schedule, withWorkflow }: { schedule: ScheduleWithTicks; withWorkflow: boolean }) {
  const canManage = useCan('SCHEDULE_MANAGE');
  const [paused, pause] = useMutation(PauseScheduleDocument.toString());
  const [resumed, resume] = useMutation(ResumeScheduleDocument.toString());
  const names = { workflow: schedule.workflow, name: schedule.name };
  const error = paused.error ?? resumed.error;
  return (
    <tr data-schedule={schedule.name} data-workflow={schedule.workflow}>
      {withWorkflow ? (
        <td>
          <Link to={`/workflows/${encodeURIComponent(schedule.workflow)}`}>{schedule.workflow}</Link>
        </td>
      ) : null}
      <td>{schedule.name}</td>
      <td>
        <code>{schedule.cron}</code> <span className="muted">{schedule.timezone}</span>
      </td>
      <td data-field="state">{schedule.paused ? 'paused' : 'active'}</td>
      <td data-field="priority">{schedule.priority}</td>
      <td data-field="next">
        {schedule.nextFireTimes.length ? (
          <ul className="deliveries">
            {schedule.nextFireTimes.map((at) => (
              <li key={at}>
                <time dateTime={at}>{formatTime(at)}</time>
              </li>
            ))}
          </ul>
        ) : (
          '—'
        )}
      </td>
      <td data-field="last">
        {schedule.runs ? (
          <Ticks runs={schedule.runs} />
        ) : (
          <>
            {formatTime(schedule.lastFiredAt)}{' '}
            {schedule.lastExecutionId ? <Link to={`/executions/${schedule.lastExecutionId}`}>run</Link> : null}
          </>
        )}
      </td>
      <td>
        {canManage ? (
          // One button whose word changes (and soft-disabled while asking): the focus stays on it across a pause and resume.
          <SoftDisabledButton
            disabled={paused.fetching || resumed.fetching}
            onClick={() => void (schedule.paused ? resume(names) : pause(names))}
          >
            {schedule.paused ? 'Resume' : 'Pause'}
          </SoftDisabledButton>
        ) : null}
        {error ? <ErrorNotice error={error} /> : null}
      </td>
    </tr>
  );
}

/** Schedules with their next ticks and the last (or latest few), pause and resume with SCHEDULE_MANAGE. */
export function ScheduleTable({ schedules, withWorkflow }: { schedules: readonly ScheduleWithTicks[]; withWorkflow: boolean }) {
  return (
    <table className="executions schedules">
      <thead>
        <tr>
          {withWorkflow ? <th scope="col">Workflow</th> : null}
          <th scope="col">Schedule</th>
          <th scope="col">Cron</th>
          <th scope="col">State</th>
          <th scope="col" title="Of the runs it starts, among runs a concurrency limit holds queued: higher starts first">
            Priority
          </th>
          <th scope="col">Next ticks</th>
          <th scope="col">{withWorkflow ? 'Latest ticks' : 'Last tick'}</th>
          <th scope="col" aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {schedules.map((schedule) => (
          <ScheduleItem key={schedule.id} schedule={schedule} withWorkflow={withWorkflow} />
        ))}
      </tbody>
    </table>
  );
}

/** A workflow's cron schedules. */
export function Schedules({ workflow }: { workflow: string }) {
  const [{ data, error }] = useQuery({ query: WorkflowSchedulesDocument.toString(), variables: { workflow } });
  if (error) return <ErrorNotice error={error} />;
  const schedules = data?.schedules;
  if (!schedules) return <p className="muted">Loading…</p>;
  if (schedules.length === 0) {
    return (
      <p className="muted">
        No schedules. Add one to the definition&apos;s <code>schedules</code> (a cron, a time zone, the run&apos;s input) and save a
        version.
      </p>
    );
  }
  return <ScheduleTable schedules={schedules} withWorkflow={false} />;
}
