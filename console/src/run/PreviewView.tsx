import type { PreviewFieldsFragment, StepEffect, StepFate } from '../generated/graphql';

/** What each fate means for a person deciding whether to go ahead. */
const FATES: Record<StepFate, string> = {
  REPLAY: 'replays its recorded output',
  RUN_AGAIN: 'runs again',
  RUN: 'runs for the first time',
  RESUME: 'is looked at again where it was',
  KEEP: 'left as recorded',
};

const EFFECTS: Record<StepEffect, string> = {
  EXTERNAL: 'calls out of the database',
  SUB_WORKFLOW: 'starts a child run',
  APPROVAL: 'asks people to decide',
  DATABASE: 'writes our database',
  NONE: '',
};

/**
 * What a retry or a rerun would do (`previewRetry` / `previewRerun`), as the command's own plan has it:
 * which steps replay their recorded output, which run again (and redo what a compensation undid), and
 * which of those reach outside the database again — said first, since those are the ones to think about.
 */
export function PreviewView({ preview, label }: { preview: PreviewFieldsFragment; label: string }) {
  const runAgain = new Set(preview.runAgain);
  return (
    <section className="preview" aria-label={label}>
      <p>
        From <code>{preview.fromStep}</code>: {preview.replayed.length} step{preview.replayed.length === 1 ? '' : 's'} replay their output,{' '}
        {preview.runAgain.length} run again
        {preview.redone.length ? `, ${preview.redone.length} redo what a compensation undid` : ''}.
      </p>
      {preview.externalEffects.length ? (
        <p role="note" className="preview-external" data-external={preview.externalEffects.map((effect) => effect.step).join(' ')}>
          Would happen again outside the database:{' '}
          {preview.externalEffects.map((effect, index) => (
            <span key={effect.step}>
              {index ? ', ' : ''}
              <code>{effect.step}</code>
              {effect.service ? ` (${effect.service})` : ` (${EFFECTS[effect.effect]})`}
            </span>
          ))}
        </p>
      ) : (
        <p className="muted">Nothing that runs again reaches outside the database.</p>
      )}
      <table className="executions">
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Now</th>
            <th scope="col">Would</th>
            <th scope="col">Effect</th>
          </tr>
        </thead>
        <tbody>
          {preview.steps.map((step) => (
            <tr key={step.step} data-preview-step={step.step} data-fate={step.fate}>
              <td>
                <code>{step.step}</code>
              </td>
              <td>{step.recordedStatus ? step.recordedStatus.toLowerCase() : 'not started'}</td>
              <td>
                {FATES[step.fate]}
                {step.compensated && runAgain.has(step.step) ? ' (redoes what a compensation undid)' : ''}
              </td>
              <td>
                {step.service ? <code>{step.service}</code> : null} {EFFECTS[step.effect]}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
