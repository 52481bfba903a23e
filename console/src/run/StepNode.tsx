import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { Link } from 'react-router';

export type StepNodeData = {
  /** The node's id: a step's name, or `<step>:compensate`. */
  key: string;
  stepType: string;
  detail: string | null;
  /** On a run: the step's status (NOT_STARTED before its record exists); null on a workflow's page. */
  status: string | null;
  attempts: number;
  selected: boolean;
  /** A compensation node: the step it undoes. */
  compensates?: string;
  /** A sub_workflow step: the workflow it starts, linked to its page. */
  workflow?: string;
  /** On a workflow's page: runs in which this step ended failed. */
  failures?: number;
};
export type StepNodeType = Node<StepNodeData, 'step'>;

function label(text: string): string {
  return text.toLowerCase().replace('_', ' ');
}

/** A step (or what compensates one): its name, type and, on a run, its status (styles.css, data-status). */
export function StepNode({ data }: NodeProps<StepNodeType>) {
  const identity = data.compensates ? { 'data-compensates': data.compensates } : { 'data-step': data.key };
  return (
    <div
      className={data.compensates ? 'step-node compensation-node' : 'step-node'}
      {...identity}
      data-status={data.status ?? undefined}
      aria-selected={data.selected}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="step-name">{data.compensates ? `undo ${data.compensates}` : data.key}</div>
      <div className="step-meta">
        <span>{label(data.stepType)}</span>
        {data.status ? (
          <span className="status" data-status={data.status}>
            {label(data.status)}
            {data.attempts > 1 ? ` · ${data.attempts} attempts` : ''}
          </span>
        ) : null}
        {data.failures ? <span className="failures">{data.failures === 1 ? '1 failure' : `${data.failures} failures`}</span> : null}
      </div>
      {data.workflow ? (
        <Link className="step-detail nodrag nopan" to={`/workflows/${encodeURIComponent(data.workflow)}`}>
          {data.workflow} →
        </Link>
      ) : data.detail ? (
        <div className="step-detail">{data.detail}</div>
      ) : null}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}
