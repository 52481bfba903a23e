import { useQuery } from 'urql';
import { WorkflowNamesDocument, type ExecutionStatus } from '../generated/graphql';

export const EXECUTION_STATUSES: readonly ExecutionStatus[] = ['PENDING', 'RUNNING', 'WAITING', 'PAUSED', 'COMPLETED', 'FAILED', 'CANCELLED'];

interface Props {
  status: ExecutionStatus | null;
  workflow: string | null;
  onChange(name: 'status' | 'workflow', value: string | null): void;
}

export function ExecutionFilters({ status, workflow, onChange }: Props) {
  const [{ data }] = useQuery({ query: WorkflowNamesDocument });
  const names = data?.workflows.nodes.map((node) => node.name) ?? [];
  return (
    <form className="filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
      <label>
        Status
        <select value={status ?? ''} onChange={(event) => onChange('status', event.target.value || null)}>
          <option value="">any</option>
          {EXECUTION_STATUSES.map((value) => (
            <option key={value} value={value}>
              {value.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      <label>
        Workflow
        <select value={workflow ?? ''} onChange={(event) => onChange('workflow', event.target.value || null)}>
          <option value="">any</option>
          {workflow && !names.includes(workflow) ? <option value={workflow}>{workflow}</option> : null}
          {names.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
