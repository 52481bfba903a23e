import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { RerunRunDocument, type RunStateFragment } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { ActionButton } from './ActionButton';

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
 * recorded outputs, the rest run with the edited context; then the new run's page.
 */
export function RerunFrom({ runId, stepKey, context, offer }: Props) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(() => JSON.stringify(context, null, 2));
  const [problem, setProblem] = useState<string | null>(null);
  const [rerun, doRerun] = useMutation(RerunRunDocument);
  const navigate = useNavigate();
  if (!offer) return null;
  if (!open || !offer.allowed) {
    return (
      <ActionButton offer={offer} onClick={() => setOpen(true)}>
        Rerun from {stepKey}…
      </ActionButton>
    );
  }
  const submit = async () => {
    let edited: unknown;
    try {
      edited = JSON.parse(text);
    } catch {
      return setProblem('not valid JSON');
    }
    if (typeof edited !== 'object' || edited === null || Array.isArray(edited)) return setProblem('the context must be a JSON object');
    setProblem(null);
    const result = await doRerun({ id: runId, fromStep: stepKey, context: edited as Record<string, unknown> });
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
      </button>
      {rerun.error ? <ErrorNotice error={rerun.error} /> : null}
    </form>
  );
}
