import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { useCan } from '../auth/ViewerProvider';
import { WorkflowPageDocument, WorkflowsChangedDocument, WorkflowStatsLiveDocument } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { useLiveSubscription } from '../ui/useLiveSubscription';
import { useThrottled } from '../ui/useThrottled';
import { PageSection, SectionNav } from './PageSections';
import { RunForm } from './RunForm';
import { Schedules } from './Schedules';
import { StepFailures, WorkflowStats } from './WorkflowStats';
import { Triggers } from './Triggers';
import { VersionDiff } from './VersionDiff';
import { WorkflowGraph } from './WorkflowGraph';

const REFETCH_MS = 1000;

/** A workflow: its graph, live stats with per-step failures, triggers, schedules, versions with a diff, and a Run form. */
export function WorkflowPage() {
  const { name = '' } = useParams();
  // Another workflow (a sub-workflow's link) is a page of its own: no state carries over.
  return <WorkflowView key={name} name={name} />;
}

function WorkflowView({ name }: { name: string }) {
  const [{ data, error }, reexecute] = useQuery({
    query: WorkflowPageDocument.toString(),
    variables: { name },
    requestPolicy: 'cache-and-network',
  });
  const canRun = useCan('WORKFLOW_EXECUTE');
  const canEdit = useCan('WORKFLOW_CREATE');
  const [running, setRunning] = useState(false);
  const workflow = data?.workflow;

  // Live: a new version asks for the page again; the stats come pushed by the server (a whole snapshot at
  // once, then after its runs are queued, start, park or finish, at most once a second).
  const refetch = useThrottled(() => reexecute({ requestPolicy: 'network-only' }), REFETCH_MS);
  useLiveSubscription(
    { query: WorkflowsChangedDocument.toString() },
    (_previous, change) => {
      if (change.workflowChanged.workflowId === workflow?.id) refetch();
      return change;
    },
    refetch,
  );
  const live = useLiveSubscription(
    { query: WorkflowStatsLiveDocument.toString(), variables: { workflow: name } },
    (_previous, push) => push,
    refetch,
  );
  const stats = live?.workflowStatsChanged ?? workflow?.stats;
  const failures = useMemo(() => new Map((stats?.stepFailures ?? []).map((entry) => [entry.step, entry.failures])), [stats]);

  if (error && !workflow) return <ErrorNotice error={error} />;
  if (!workflow || !stats) return <p className="muted">Loading…</p>;
  const definition: Record<string, unknown> = workflow.definition;

  return (
    <section className="workflow">
      <p>
        <Link to="/workflows">← Workflows</Link>
      </p>
      <header className="run-header">
        <h1>
          {workflow.name} <span className="muted">v{workflow.version}</span>
          {workflow.versionLabel ? <span className="muted"> ({workflow.versionLabel})</span> : null}
        </h1>
        {workflow.active ? null : <span className="status">inactive</span>}
        {canRun && workflow.active ? (
          <button type="button" aria-expanded={running} onClick={() => setRunning((open) => !open)}>
            Start a run
          </button>
        ) : null}
        {canEdit ? <Link to={`/workflows/${encodeURIComponent(workflow.name)}/edit`}>Edit</Link> : null}
        <Link to={`/executions?workflow=${encodeURIComponent(workflow.name)}`}>Its runs →</Link>
      </header>
      {workflow.description ? <p>{workflow.description}</p> : null}
      {workflow.tags.length ? <p className="muted">Tags: {workflow.tags.join(', ')}</p> : null}
      <SectionNav />
      {running ? <RunForm workflow={workflow.name} schema={definition['input']} /> : null}
      <PageSection id="workflow-stats" heading={false}>
        <WorkflowStats stats={stats} live={Boolean(live)} />
      </PageSection>
      <PageSection id="workflow-graph" heading={false}>
        <div className="run-body">
          <WorkflowGraph definition={definition} failures={failures} />
          <StepFailures failures={stats.stepFailures} />
        </div>
      </PageSection>
      <PageSection id="workflow-triggers">
        <Triggers definition={definition} />
      </PageSection>
      <PageSection id="workflow-schedules">
        <Schedules workflow={workflow.name} />
      </PageSection>
      <PageSection id="workflow-versions">
        <VersionDiff versions={workflow.versions} />
      </PageSection>
    </section>
  );
}
