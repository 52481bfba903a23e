import { useMutation, type CombinedError } from 'urql';
import { CancelRunDocument, PauseRunDocument, ResumeRunDocument, RetryRunDocument, type RunStateFragment } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { ActionButton, offerOf } from './ActionButton';

/**
 * Cancel, pause, resume and retry as the API's `availableActions` has them for this viewer and run:
 * those the viewer's permissions forbid are not offered; those the run's state refuses are shown
 * disabled, with the server's reason. The console keeps no rules of its own about them.
 */
export function RunActions({ run }: { run: RunStateFragment }) {
  const [cancel, doCancel] = useMutation(CancelRunDocument);
  const [pause, doPause] = useMutation(PauseRunDocument);
  const [resume, doResume] = useMutation(ResumeRunDocument);
  const [retry, doRetry] = useMutation(RetryRunDocument);

  const actions = [
    { name: 'Cancel', offer: offerOf(run, 'CANCEL'), run: () => doCancel({ id: run.id }), state: cancel },
    { name: 'Pause', offer: offerOf(run, 'PAUSE'), run: () => doPause({ id: run.id }), state: pause },
    { name: 'Resume', offer: offerOf(run, 'RESUME'), run: () => doResume({ id: run.id }), state: resume },
    { name: 'Retry', offer: offerOf(run, 'RETRY'), run: () => doRetry({ id: run.id }), state: retry },
  ];
  const errors = [cancel.error, pause.error, resume.error, retry.error].filter((error): error is CombinedError => Boolean(error));

  if (actions.every((action) => !action.offer) && errors.length === 0) return null;
  return (
    <div className="run-actions" role="toolbar" aria-label="Run actions">
      {actions.map((action) =>
        action.offer ? (
          <ActionButton key={action.name} offer={action.offer} busy={action.state.fetching} onClick={() => void action.run()}>
            {action.name}
          </ActionButton>
        ) : null,
      )}
      {errors.map((error, index) => (
        <ErrorNotice key={index} error={error} />
      ))}
    </div>
  );
}
