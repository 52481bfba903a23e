import { useQuery } from 'urql';
import { AllSchedulesDocument, ExecutionsChangedDocument, WorkflowsChangedDocument } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { useLiveSubscription } from '../ui/useLiveSubscription';
import { useThrottled } from '../ui/useThrottled';
import { ScheduleTable } from '../workflow/Schedules';

const REFETCH_MS = 1000;

/** Every schedule of the tenant: its next ticks and what its latest ticks did; pause and resume. */
export function SchedulesPage() {
  const [{ data, error }, reexecute] = useQuery({ query: AllSchedulesDocument.toString(), requestPolicy: 'cache-and-network' });
  // A workflow saved (its schedules may have changed) or a scheduled run started: asked for again.
  const refetch = useThrottled(() => reexecute({ requestPolicy: 'network-only' }), REFETCH_MS);
  useLiveSubscription(
    { query: WorkflowsChangedDocument.toString() },
    (_previous, change) => {
      refetch();
      return change;
    },
    refetch,
  );
  useLiveSubscription(
    { query: ExecutionsChangedDocument.toString(), variables: { filter: null } },
    (_previous, change) => {
      if (change.executionsChanged.type === 'execution.created') refetch();
      return change;
    },
    refetch,
  );
  const schedules = data?.schedules;
  return (
    <section>
      <h1>Schedules</h1>
      {error ? <ErrorNotice error={error} /> : null}
      {schedules && schedules.length === 0 ? (
        <p className="empty">
          No schedules yet: give a workflow a <code>schedules</code> entry (a cron, a time zone, the run&apos;s input) in its definition and
          save it.
        </p>
      ) : null}
      {schedules && schedules.length > 0 ? <ScheduleTable schedules={schedules} withWorkflow /> : null}
      {!schedules && !error ? <p className="muted">Loading…</p> : null}
    </section>
  );
}
