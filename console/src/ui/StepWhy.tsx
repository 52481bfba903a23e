import type { ResolvedParameterFieldsFragment, StepDecisionFieldsFragment } from '../generated/graphql';

/** A `when` guard or a condition in words: its expression, the value it came to and what followed. */
export function DecisionLine({ decision }: { decision: StepDecisionFieldsFragment }) {
  return (
    <>
      {decision.kind === 'WHEN' ? 'when' : 'condition'} <code>{decision.expression}</code> = <code>{JSON.stringify(decision.value)}</code> →{' '}
      {decision.branch ?? (decision.result ? 'ran' : 'skipped')}
    </>
  );
}

/** A templated string of the step's definition beside what it resolved to. */
export function ParameterLine({ parameter }: { parameter: ResolvedParameterFieldsFragment }) {
  return (
    <>
      <code>{parameter.path}</code> <code>{parameter.template}</code> → <code>{JSON.stringify(parameter.value)}</code>
    </>
  );
}
