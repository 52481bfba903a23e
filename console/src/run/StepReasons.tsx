import { useEffect, useRef } from 'react';
import { useQuery } from 'urql';
import { RunStepWhyDocument } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { DecisionLine, ParameterLine } from '../ui/StepWhy';

/**
 * Why the selected step ran (its `when` guard, a condition's branch) and its parameters beside the templates
 * they came from: `execution.step(key)`, read when the panel opens and again whenever the live step moves on
 * (its status or attempts change), so live events need not carry them.
 */
export function StepReasons({ runId, stepKey, status, attempts }: { runId: string; stepKey: string; status: string; attempts: number }) {
  const [{ data, error }, reexecute] = useQuery({
    query: RunStepWhyDocument.toString(),
    variables: { id: runId, key: stepKey },
    requestPolicy: 'cache-and-network',
  });
  const moved = `${status}:${attempts}`;
  const seen = useRef(moved);
  useEffect(() => {
    if (seen.current === moved) return;
    seen.current = moved;
    reexecute({ requestPolicy: 'network-only' });
  }, [moved, reexecute]);

  if (error) return <ErrorNotice error={error} />;
  const step = data?.execution.step;
  if (!step) return null;
  return (
    <>
      {step.decisions.length ? (
        <div role="group" aria-label="Why">
          <h3>Why</h3>
          <ul className="step-why">
            {step.decisions.map((decision, index) => (
              <li key={index} data-decision={decision.kind}>
                <DecisionLine decision={decision} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {step.resolvedParameters.length ? (
        <div role="group" aria-label="Resolved parameters">
          <h3>Parameters</h3>
          <ul className="step-why">
            {step.resolvedParameters.map((parameter) => (
              <li key={parameter.path} data-parameter={parameter.path}>
                <ParameterLine parameter={parameter} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}
