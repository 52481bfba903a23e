import { useId } from 'react';
import { useQuery } from 'urql';
import { WorkflowNamesDocument } from '../generated/graphql';
import { EXECUTION_STATUSES, TRIGGER_TYPES, type FilterName, type Filters } from './filters';

interface Props {
  filters: Filters;
  onChange(name: FilterName, value: string | null): void;
}

function Choice({ label, value, options, onChange }: { label: string; value: string | null; options: readonly string[]; onChange(value: string | null): void }) {
  const id = useId();
  return (
    <span className="filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(event) => onChange(event.target.value || null)}>
        <option value="">any</option>
        {value && !options.includes(value) ? <option value={value}>{value}</option> : null}
        {options.map((option) => (
          <option key={option} value={option}>
            {option === option.toUpperCase() ? option.toLowerCase().replace('_', ' ') : option}
          </option>
        ))}
      </select>
    </span>
  );
}

export function ExecutionFilters({ filters, onChange }: Props) {
  const [{ data }] = useQuery({ query: WorkflowNamesDocument });
  const names = data?.workflows.nodes.map((node) => node.name) ?? [];
  return (
    <form className="filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
      <Choice label="Status" value={filters.status} options={EXECUTION_STATUSES} onChange={(value) => onChange('status', value)} />
      <Choice label="Workflow" value={filters.workflow} options={names} onChange={(value) => onChange('workflow', value)} />
      <Choice label="Trigger" value={filters.trigger} options={TRIGGER_TYPES} onChange={(value) => onChange('trigger', value)} />
    </form>
  );
}
