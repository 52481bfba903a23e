import { useState } from 'react';
import { useClient, type CombinedError } from 'urql';
import { SimulateDefinitionDocument, type SimulateDefinitionQuery } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatJson } from '../ui/format';
import { StatusBadge } from '../ui/StatusBadge';
import { DecisionLine, ParameterLine } from '../ui/StepWhy';

type Simulation = SimulateDefinitionQuery['simulateWorkflow'];

/** A JSON object typed in a box; the problem in words otherwise. */
function objectOf(text: string, what: string): { value: Record<string, unknown> } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: `${what}: not valid JSON` };
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? { value: value as Record<string, unknown> }
    : { problem: `${what}: must be a JSON object` };
}

/**
 * "Dry run" of the definition being edited (`simulateWorkflow`): on a context and mocked answers for the
 * calls that leave the process, the path it would take, each step's resolved parameters beside their
 * templates, why it ran or which branch it took, its output, the calls no mock answered (reported, never
 * made) and the lint diagnostics. Nothing is saved and no service is called.
 */
export function SimulatePanel({ definition }: { definition: Record<string, unknown> | null }) {
  const client = useClient();
  const [context, setContext] = useState('{}');
  const [mocks, setMocks] = useState('{}');
  const [problem, setProblem] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<{ simulation: Simulation | null; error: CombinedError | null } | null>(null);

  const run = async () => {
    if (!definition) return setProblem('the definition is not valid JSON');
    const parsedContext = objectOf(context, 'context');
    const parsedMocks = objectOf(mocks, 'mocks');
    if ('problem' in parsedContext) return setProblem(parsedContext.problem);
    if ('problem' in parsedMocks) return setProblem(parsedMocks.problem);
    setProblem(null);
    setRunning(true);
    const result = await client
      .query(
        SimulateDefinitionDocument.toString(),
        { definition, context: parsedContext.value, mocks: parsedMocks.value },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    setRunning(false);
    setOutcome({ simulation: result.data?.simulateWorkflow ?? null, error: result.error ?? null });
  };

  return (
    <section className="simulate" aria-label="Dry run">
      <h2>Dry run</h2>
      <form className="run-form" aria-label="Dry run this definition" onSubmit={(event) => (event.preventDefault(), void run())}>
        <label htmlFor="simulate-context">Context (JSON)</label>
        <textarea id="simulate-context" rows={4} value={context} onChange={(event) => setContext(event.target.value)} />
        <label htmlFor="simulate-mocks">
          Mocks (JSON: {'{ "service.method": answer }'}, a string is JSONata over params, input, context, steps)
        </label>
        <textarea id="simulate-mocks" rows={4} value={mocks} onChange={(event) => setMocks(event.target.value)} />
        {problem ? (
          <p role="alert" className="field-error">
            {problem}
          </p>
        ) : null}
        <button type="submit" disabled={running}>
          Dry run
        </button>
      </form>
      {outcome?.error ? <ErrorNotice error={outcome.error} /> : null}
      {outcome?.simulation ? <SimulationView simulation={outcome.simulation} /> : null}
    </section>
  );
}

function SimulationView({ simulation }: { simulation: Simulation }) {
  if (!simulation.valid) {
    return (
      <ul className="problems" aria-label="Simulation issues">
        {simulation.issues.map((issue, index) => (
          <li key={index}>
            <code>{issue.path}</code> {issue.message}
          </li>
        ))}
      </ul>
    );
  }
  return (
    <div className="simulation" data-status={simulation.status ?? undefined}>
      <p>
        Would end {simulation.status ? <StatusBadge status={simulation.status} /> : '—'}; path:{' '}
        <span data-path={simulation.path.join(' ')}>{simulation.path.join(' → ') || 'no step'}</span>
      </p>
      {simulation.error ? (
        <p role="alert" className="error-notice">
          <code>{simulation.error.code}</code> {simulation.error.message}
          {simulation.error.step ? ` (step ${simulation.error.step})` : ''}
        </p>
      ) : null}
      {simulation.compensated.length ? <p>Compensations would undo: {simulation.compensated.join(', ')}</p> : null}
      {simulation.unmockedCalls.length ? (
        <p role="note" data-unmocked={simulation.unmockedCalls.map((call) => call.call).join(' ')}>
          Not mocked (answered null, never made): {simulation.unmockedCalls.map((call) => `${call.call} (step ${call.step})`).join(', ')}
        </p>
      ) : null}
      {simulation.diagnostics.length ? (
        <ul aria-label="Diagnostics">
          {simulation.diagnostics.map((diagnostic, index) => (
            <li key={index} data-diagnostic={diagnostic.code}>
              <code>{diagnostic.code}</code> <code>{diagnostic.step}</code> {diagnostic.message}
            </li>
          ))}
        </ul>
      ) : null}
      <table className="executions" aria-label="Simulated steps">
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Status</th>
            <th scope="col">Why</th>
            <th scope="col">Parameters</th>
            <th scope="col">Output</th>
          </tr>
        </thead>
        <tbody>
          {simulation.steps.map((step) => (
            <tr key={step.step} data-simulated-step={step.step} data-status={step.status}>
              <td>
                <code>{step.step}</code>
                {step.call ? <div className="muted">{`${step.call.call}${step.call.mocked ? ' (mocked)' : ' (not mocked)'}`}</div> : null}
              </td>
              <td>
                <StatusBadge status={step.status} />
              </td>
              <td data-field="why">
                {step.decisions.map((decision, index) => (
                  <div key={index}>
                    <DecisionLine decision={decision} />
                  </div>
                ))}
              </td>
              <td data-field="parameters">
                {step.resolvedParameters.map((parameter) => (
                  <div key={parameter.path}>
                    <ParameterLine parameter={parameter} />
                  </div>
                ))}
              </td>
              <td>
                <pre>{step.error ? `${step.error.code}: ${step.error.message}` : formatJson(step.output)}</pre>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {simulation.status === 'COMPLETED' ? (
        <>
          <h3>Result</h3>
          <pre>{formatJson(simulation.result)}</pre>
        </>
      ) : null}
    </div>
  );
}
