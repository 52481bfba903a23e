import { useId, useState } from 'react';
import { useQuery } from 'urql';
import { WorkflowNamesDocument } from '../generated/graphql';
import { contextObject, EXECUTION_STATUSES, SINCE, TRIGGER_TYPES, type FilterName, type Filters } from './filters';

interface Props {
  filters: Filters;
  onChange(name: FilterName, value: string | null): void;
}

const SINCE_LABELS: Readonly<Record<string, string>> = { '1h': 'last hour', '24h': 'last 24 hours', '7d': 'last 7 days' };

/** JSON the run's context must contain, applied with Enter (refused, saying so, when it is not an object). */
function ContextMatch({ value, onChange }: { value: string | null; onChange(value: string | null): void }) {
  const id = useId();
  const [text, setText] = useState(value ?? '');
  const [bad, setBad] = useState(false);
  const apply = () => {
    const trimmed = text.trim();
    const valid = trimmed === '' || contextObject(trimmed) !== null;
    setBad(!valid);
    if (valid) onChange(trimmed || null);
  };
  return (
    <span className="filter">
      <label htmlFor={id}>Context contains</label>
      <input
        id={id}
        value={text}
        placeholder='{"customer_id": "c-1"}'
        aria-invalid={bad}
        onChange={(event) => setText(event.target.value)}
        onBlur={apply}
        onKeyDown={(event) => {
          if (event.key === 'Enter') apply();
        }}
      />
      {bad ? (
        <span role="alert" className="field-error">
          a JSON object
        </span>
      ) : null}
    </span>
  );
}

function Choice({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string | null;
  options: readonly string[];
  onChange(value: string | null): void;
}) {
  const id = useId();
  return (
    <span className="filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(event) => onChange(event.target.value || null)}>
        <option value="">any</option>
        {value && !options.includes(value) ? <option value={value}>{value}</option> : null}
        {options.map((option) => (
          <option key={option} value={option}>
            {SINCE_LABELS[option] ?? (option === option.toUpperCase() ? option.toLowerCase().replace('_', ' ') : option)}
          </option>
        ))}
      </select>
    </span>
  );
}

export function ExecutionFilters({ filters, onChange }: Props) {
  const [{ data }] = useQuery({ query: WorkflowNamesDocument.toString() });
  const names = data?.workflows.nodes.map((node) => node.name) ?? [];
  return (
    <form className="filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
      <Choice label="Status" value={filters.status} options={EXECUTION_STATUSES} onChange={(value) => onChange('status', value)} />
      <Choice label="Workflow" value={filters.workflow} options={names} onChange={(value) => onChange('workflow', value)} />
      <Choice label="Trigger" value={filters.trigger} options={TRIGGER_TYPES} onChange={(value) => onChange('trigger', value)} />
      <Choice label="Started" value={filters.since} options={Object.keys(SINCE)} onChange={(value) => onChange('since', value)} />
      <ContextMatch key={filters.context ?? ''} value={filters.context} onChange={(value) => onChange('context', value)} />
    </form>
  );
}
