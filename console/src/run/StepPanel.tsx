import type { ReactNode } from 'react';
import type { RunStepFragment } from '../generated/graphql';
import { formatDuration, formatJson, formatTime } from '../ui/format';
import { StatusBadge } from '../ui/StatusBadge';
import { StepReasons } from './StepReasons';

/** One step's record: why it ran, its parameters beside their templates, resolved input, output, error, attempts and compensation. */
export function StepPanel({
  runId,
  stepKey,
  step,
  children,
  onClose,
}: {
  runId: string;
  stepKey: string | null;
  step: RunStepFragment | undefined;
  children?: ReactNode;
  onClose(): void;
}) {
  if (!stepKey) {
    return (
      <p className="muted">Select a step in the graph (click it, or Tab to it and press Enter) to see its input, output and errors.</p>
    );
  }
  const close = (
    <button type="button" className="link step-panel-close" aria-label={`Close step ${stepKey}`} title="Close (Escape)" onClick={onClose}>
      ×
    </button>
  );
  if (!step) {
    return (
      <section className="step-panel" aria-label={`Step ${stepKey}`}>
        <h2>
          {stepKey} {close}
        </h2>
        <p className="muted">Not started yet.</p>
      </section>
    );
  }
  return (
    <section className="step-panel" aria-label={`Step ${stepKey}`}>
      <h2>
        {step.key} <StatusBadge status={step.status} /> {close}
      </h2>
      <dl>
        <dt>Type</dt>
        <dd>{step.type.toLowerCase().replace('_', ' ')}</dd>
        <dt>Attempts</dt>
        <dd>{step.attempts}</dd>
        <dt>Started</dt>
        <dd>{formatTime(step.startedAt)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(step.durationMs)}</dd>
        {step.nextAttemptAt ? (
          <>
            <dt>Next attempt</dt>
            <dd>{formatTime(step.nextAttemptAt)}</dd>
          </>
        ) : null}
      </dl>
      {step.error ? (
        <div className="step-error" role="group" aria-label="Error">
          <h3>Error</h3>
          <p>
            <code>{step.error.code}</code> {step.error.message}
          </p>
          <p className="muted">{step.error.retryable ? 'Retryable: trying again may succeed.' : 'Not retryable.'}</p>
        </div>
      ) : null}
      {step.compensation ? (
        <div className="step-compensation" role="group" aria-label="Compensation">
          <h3>Compensation</h3>
          <p>
            <StatusBadge status={step.compensation.status.toUpperCase()} /> {formatTime(step.compensation.at)}
          </p>
          {step.compensation.error ? (
            <p>
              <code>{step.compensation.error.code}</code> {step.compensation.error.message}
            </p>
          ) : null}
        </div>
      ) : null}
      <StepReasons runId={runId} stepKey={step.key} status={step.status} attempts={step.attempts} />
      <h3>Input</h3>
      <pre>{formatJson(step.input)}</pre>
      <h3>Output</h3>
      <pre>{formatJson(step.output)}</pre>
      {children}
    </section>
  );
}
