import { useState } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';
import {
  CancelRunDocument,
  PauseRunDocument,
  ResumeRunDocument,
  RetryPreviewDocument,
  RetryRunDocument,
  type RunStateFragment,
} from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { ActionButton, offerOf } from './ActionButton';
import { PreviewView } from './PreviewView';

/**
 * Cancel, pause, resume and retry as the API's `availableActions` has them for this viewer and run:
 * those the viewer's permissions forbid are not offered; those the run's state refuses are shown
 * disabled, with the server's reason. The console keeps no rules of its own about them. A retry the run
 * allows can be looked at first ("What would Retry do?": `previewRetry`).
 */
export function RunActions({ run }: { run: RunStateFragment }) {
  const [cancel, doCancel] = useMutation(CancelRunDocument.toString());
  const [pause, doPause] = useMutation(PauseRunDocument.toString());
  const [resume, doResume] = useMutation(ResumeRunDocument.toString());
  const [retry, doRetry] = useMutation(RetryRunDocument.toString());

  const actions = [
    { name: 'Cancel', offer: offerOf(run, 'CANCEL'), run: () => doCancel({ id: run.id }), state: cancel },
    { name: 'Pause', offer: offerOf(run, 'PAUSE'), run: () => doPause({ id: run.id }), state: pause },
    { name: 'Resume', offer: offerOf(run, 'RESUME'), run: () => doResume({ id: run.id }), state: resume },
    { name: 'Retry', offer: offerOf(run, 'RETRY'), run: () => doRetry({ id: run.id }), state: retry },
  ];
  const errors = [cancel.error, pause.error, resume.error, retry.error].filter((error): error is CombinedError => Boolean(error));
  const [previewing, setPreviewing] = useState(false);
  const canRetry = Boolean(offerOf(run, 'RETRY')?.allowed);

  if (actions.every((action) => !action.offer) && errors.length === 0) return null;
  return (
    <>
      <div className="run-actions" role="toolbar" aria-label="Run actions">
        {actions.map((action) =>
          action.offer ? (
            <ActionButton key={action.name} offer={action.offer} busy={action.state.fetching} onClick={() => void action.run()}>
              {action.name}
            </ActionButton>
          ) : null,
        )}
        {canRetry ? (
          <button type="button" className="link" aria-expanded={previewing} onClick={() => setPreviewing((open) => !open)}>
            What would Retry do?
          </button>
        ) : null}
        {errors.map((error, index) => (
          <ErrorNotice key={index} error={error} />
        ))}
      </div>
      {canRetry && previewing ? <RetryPreview runId={run.id} /> : null}
    </>
  );
}

/** The retry's plan, read when opened (and fresh each time: the run may have moved). */
function RetryPreview({ runId }: { runId: string }) {
  const [{ data, error, fetching }] = useQuery({
    query: RetryPreviewDocument.toString(),
    variables: { id: runId },
    requestPolicy: 'network-only',
  });
  if (error) return <ErrorNotice error={error} />;
  if (!data || fetching) return <p className="muted">Reading what a retry would do…</p>;
  return <PreviewView preview={data.previewRetry} label="What Retry would do" />;
}
