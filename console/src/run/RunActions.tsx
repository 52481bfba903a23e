import { useMutation, type CombinedError } from 'urql';
import { useCan } from '../auth/ViewerProvider';
import { CancelRunDocument, PauseRunDocument, ResumeRunDocument, RetryRunDocument, type RunStateFragment } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';

const GOING_ON = new Set(['PENDING', 'RUNNING', 'WAITING', 'PAUSED']);

/** Cancel, pause, resume and retry: each offered only when the run's status and the viewer's permissions allow it. */
export function RunActions({ run }: { run: RunStateFragment }) {
  const canCancel = useCan('EXECUTION_CANCEL');
  const canPause = useCan('EXECUTION_PAUSE');
  const canRetry = useCan('EXECUTION_RETRY');
  const [cancel, doCancel] = useMutation(CancelRunDocument);
  const [pause, doPause] = useMutation(PauseRunDocument);
  const [resume, doResume] = useMutation(ResumeRunDocument);
  const [retry, doRetry] = useMutation(RetryRunDocument);

  const going = GOING_ON.has(run.status);
  const actions = [
    { name: 'Cancel', allowed: canCancel && going && !run.cancelRequested, run: () => doCancel({ id: run.id }), state: cancel },
    { name: 'Pause', allowed: canPause && going && run.status !== 'PAUSED' && !run.pauseRequested, run: () => doPause({ id: run.id }), state: pause },
    { name: 'Resume', allowed: canPause && (run.status === 'PAUSED' || run.pauseRequested), run: () => doResume({ id: run.id }), state: resume },
    { name: 'Retry', allowed: canRetry && (run.status === 'FAILED' || run.status === 'CANCELLED'), run: () => doRetry({ id: run.id }), state: retry },
  ].filter((action) => action.allowed);
  const errors = [cancel.error, pause.error, resume.error, retry.error].filter((error): error is CombinedError => Boolean(error));

  if (actions.length === 0 && errors.length === 0) return null;
  return (
    <div className="run-actions" role="toolbar" aria-label="Run actions">
      {actions.map((action) => (
        <button key={action.name} type="button" disabled={action.state.fetching} onClick={() => void action.run()}>
          {action.name}
        </button>
      ))}
      {errors.map((error, index) => (
        <ErrorNotice key={index} error={error} />
      ))}
    </div>
  );
}
