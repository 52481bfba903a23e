import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { RerunPreviewDocument, RerunRunDocument, type RunStateFragment } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { ActionButton } from './ActionButton';
import { PreviewView } from './PreviewView';

interface Props {
  runId: string;
  stepKey: string;
  /** The run's context, to edit: what is given is merged over the original's. */
  context: Record<string, unknown>;
  /** The API's RERUN offer for this viewer and run (undefined: their permissions forbid it, nothing shown). */
  offer: RunStateFragment['availableActions'][number] | undefined;
}

/**
 * "Rerun from here" on a run's step, as `availableActions` offers RERUN (a run not finished yet shows it
 * disabled, saying why): a new run of the same version, the steps before this one replayed from their
 * recorded outputs, the rest run with the edited context; then the new run's page. "What would it do?"
 * shows the rerun's plan for the context as edited (`previewRerun`) before anything is started.
 */
export function RerunFrom({ runId, stepKey, context, offer }: Props) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(() => JSON.stringify(context, null, 2));
  const [problem, setProblem] = useState<string | null>(null);
  const [previewed, setPreviewed] = useState<Record<string, unknown> | null>(null);
  const [rerun, doRerun] = useMutation(RerunRunDocument.toString());
  const navigate = useNavigate();
  if (!offer) return null;
  if (!open || !offer.allowed) {
    return (
      <ActionButton offer={offer} onClick={() => setOpen(true)}>
        Rerun from {stepKey}…
      </ActionButton>
    );
  }
  // The edited context, or null (the problem said) when it is not a JSON object.
  const parsed = (): Record<string, unknown> | null => {
    let edited: unknown;
    try {
      edited = JSON.parse(text);
    } catch {
      setProblem('not valid JSON');
      return null;
    }
    if (typeof edited !== 'object' || edited === null || Array.isArray(edited)) {
      setProblem('the context must be a JSON object');
      return null;
    }
    setProblem(null);
    return edited as Record<string, unknown>;
  };
  const submit = async () => {
    const edited = parsed();
    if (!edited) return;
    const result = await doRerun({ id: runId, fromStep: stepKey, context: edited });
    const id = result.data?.rerunExecution.id;
    if (id) void navigate(`/executions/${id}`);
  };
  return (
    <form className="run-form" aria-label={`Rerun from ${stepKey}`} onSubmit={(event) => (event.preventDefault(), void submit())}>
      <label htmlFor="rerun-context">Context (merged over the run&apos;s)</label>
      <textarea id="rerun-context" rows={6} value={text} onChange={(event) => setText(event.target.value)} />
      {problem ? (
        <p role="alert" className="field-error">
          {problem}
        </p>
      ) : null}
      <button type="submit" disabled={rerun.fetching}>
        Rerun
      </button>{' '}
      <button type="button" onClick={() => setPreviewed(parsed())}>
        What would it do?
      </button>
      {rerun.error ? <ErrorNotice error={rerun.error} /> : null}
      {previewed ? <RerunPreview runId={runId} stepKey={stepKey} context={previewed} /> : null}
    </form>
  );
}

/** The rerun's plan for this context, asked when "What would it do?" is pressed. */
function RerunPreview({ runId, stepKey, context }: { runId: string; stepKey: string; context: Record<string, unknown> }) {
  const [{ data, error, fetching }] = useQuery({
    query: RerunPreviewDocument.toString(),
    variables: { id: runId, fromStep: stepKey, context },
    requestPolicy: 'network-only',
  });
  if (error) return <ErrorNotice error={error} />;
  if (!data || fetching) return <p className="muted">Reading what the rerun would do…</p>;
  return <PreviewView preview={data.previewRerun} label={`What a rerun from ${stepKey} would do`} />;
}
