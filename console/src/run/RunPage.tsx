import { memo, useDeferredValue, useMemo, useState, type KeyboardEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, type CombinedError } from 'urql';
import { RunDocument, type RunEventFragment, type RunQuery } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatDuration, formatTime } from '../ui/format';
import { StatusBadge } from '../ui/StatusBadge';
import { useFrameValue } from '../ui/useFrameValue';
import { offerOf } from './ActionButton';
import { childRuns } from './child-runs';
import { EventLog } from './EventLog';
import { RunActions } from './RunActions';
import { RunApprovals } from './RunApprovals';
import { RerunFrom } from './RerunFrom';
import { RunGraph } from './RunGraph';
import { RunRecords } from './RunRecords';
import { asNewAsTheFeed } from './run-version';
import { StartedBy } from './StartedBy';
import { StepPanel } from './StepPanel';
import { useRunAskedAhead } from './prefetch';
import { TimelineView } from './TimelineView';
import { useRunProgress, type ProgressState } from './useRunProgress';

type Run = NonNullable<RunQuery['execution']>;

const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);
const NO_EVENTS: readonly RunEventFragment[] = [];

/** A run, live: its graph coloured by step status, the selected step, the event log and the actions. */
export function RunPage() {
  const { id = '' } = useParams();
  // Another run (a link to the parent) is a page of its own: nothing of this one's state carries over.
  return <RunView key={id} id={id} />;
}

function RunView({ id }: { id: string }) {
  const askedAhead = useRunAskedAhead(id);
  const [{ data, error }] = useQuery({ query: RunDocument.toString(), variables: { id }, pause: askedAhead });
  const cached = data?.execution;
  // undefined: nothing chosen yet (a failed run opens on its failed step); null: the panel was closed.
  const [selected, setSelected] = useState<string | null | undefined>(undefined);
  // The sequence as the cache has it now, not as last drawn: compared with the events drawn, it must not
  // lag them (useRunProgress reads the run again when it is behind them).
  const {
    events,
    state,
    error: progressError,
    liveRun,
  } = useRunProgress(id, Boolean(cached && !FINAL.has(cached.status)), cached?.lastSequence);
  // Each live event rewrites the run in the cache; the page draws the latest once a frame, never older
  // than the feed's own copy of the run.
  const current = useMemo(() => asNewAsTheFeed(cached, liveRun), [cached, liveRun]);
  const run = useFrameValue(current);

  if (error && !run) return <ErrorNotice error={error} />;
  if (!run) return <p className="muted">Loading the run…</p>;
  return <RunBody run={run} events={events} state={state} progressError={progressError} selected={selected} onSelect={setSelected} />;
}

interface BodyProps {
  run: Run;
  events: readonly RunEventFragment[];
  state: ProgressState;
  progressError: CombinedError | null;
  selected: string | null | undefined;
  onSelect(key: string | null): void;
}

/**
 * Escape closes the step panel wherever the focus is in the graph or the panel; focus left inside the
 * panel goes back to the step's node, so the keyboard carries on from where the panel was opened.
 */
function closeOnEscape(event: KeyboardEvent<HTMLElement>, key: string | null, close: () => void) {
  if (event.key !== 'Escape' || !key) return;
  event.preventDefault();
  const inPanel = event.target instanceof Element && event.target.closest('.step-panel');
  close();
  if (inPanel) event.currentTarget.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(key)}"]`)?.focus();
}

/** The page itself: drawn again only when what it shows changed (not on every cache write between frames). */
const RunBody = memo(function RunBody({ run, events: latest, state, progressError, selected, onSelect: setSelected }: BodyProps) {
  // The log and the timeline (below the graph, mostly below the fold) are drawn after the rest: a render of
  // a long log never holds back the graph's. Also when the page opens: the graph is drawn first, with no
  // events yet (a log already loaded would otherwise be drawn in the same render, before the graph shows).
  const events = useDeferredValue(latest, NO_EVENTS);
  const children = useMemo(() => childRuns(events), [events]);
  const { definition } = run;
  const selectedKey = selected === undefined ? (run.error?.step ?? null) : selected;

  return (
    <section className="run">
      <p>
        <Link to="/executions">← Executions</Link>
      </p>
      <header className="run-header">
        <h1>
          {run.workflow.name} <span className="muted">v{run.workflowVersion}</span> <StatusBadge status={run.status} />
        </h1>
        {state === 'reconnecting' ? (
          <span role="status" className="reconnecting">
            Reconnecting…
          </span>
        ) : null}
        {state === 'live' ? <span className="live">● live</span> : null}
      </header>
      <dl className="run-facts">
        <dt>Run</dt>
        <dd>
          <code>{run.id}</code>
        </dd>
        <dt>Started by</dt>
        <dd>
          <StartedBy run={run} />
        </dd>
        <dt>Started</dt>
        <dd>{formatTime(run.startedAt ?? run.createdAt)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(run.durationMs)}</dd>
        {run.concurrency || run.priority !== 0 ? <FlowControl run={run} /> : null}
        {children.length ? (
          <>
            <dt>Child runs</dt>
            <dd>
              <ul className="deliveries">
                {children.map((child) => (
                  <li key={child.executionId}>
                    <Link to={`/executions/${child.executionId}`}>{child.executionId}</Link>{' '}
                    <span className="muted">(step {child.stepKey})</span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {run.parentExecutionId ? (
          <>
            <dt>Parent</dt>
            <dd>
              <Link to={`/executions/${run.parentExecutionId}`}>{run.parentExecutionId}</Link>
            </dd>
          </>
        ) : null}
      </dl>
      {run.error ? (
        <p role="alert" className="error-notice">
          <code>{run.error.code}</code> {run.error.message}
          {run.error.step ? ` (step ${run.error.step})` : ''}
        </p>
      ) : null}
      <RunActions run={run} />
      <RunApprovals runId={run.id} steps={run.steps} events={events} />
      <div className="run-body" onKeyDown={(event) => closeOnEscape(event, selectedKey, () => setSelected(null))}>
        <RunGraph definition={definition} steps={run.steps} selected={selectedKey} onSelect={setSelected} />
        <StepPanel
          key={selectedKey}
          runId={run.id}
          stepKey={selectedKey}
          step={run.steps.find((step) => step.key === selectedKey)}
          onClose={() => setSelected(null)}
        >
          {selectedKey ? <RerunFrom runId={run.id} stepKey={selectedKey} context={run.context} offer={offerOf(run, 'RERUN')} /> : null}
        </StepPanel>
      </div>
      <RunRecords runId={run.id} steps={run.steps} onSelectStep={setSelected} />
      <h2>Timeline</h2>
      <TimelineView events={events} live={!FINAL.has(run.status)} onSelectStep={setSelected} />
      <h2>Events</h2>
      {progressError ? <ErrorNotice error={progressError} /> : null}
      <EventLog events={events} onSelectStep={setSelected} />
    </section>
  );
});

/** The run's concurrency group and priority: why it may wait queued, and its place among the queued. */
function FlowControl({ run }: { run: Run }) {
  return (
    <>
      {run.concurrency ? (
        <>
          <dt>Concurrency</dt>
          <dd data-field="concurrency">
            at most {run.concurrency.limit} at once
            {run.concurrency.key === null || run.concurrency.key === undefined ? (
              ' (the whole workflow)'
            ) : (
              <>
                {' '}
                for key <code>{run.concurrency.key}</code>
              </>
            )}
            {run.status === 'QUEUED' ? ' · waiting for a slot' : ''}
          </dd>
        </>
      ) : null}
      <dt>Priority</dt>
      <dd data-field="priority">{run.priority}</dd>
    </>
  );
}
