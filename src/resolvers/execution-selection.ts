import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { ExecutionListField } from '../engine/index.js';
import { assertNever } from '../errors.js';
import type { ExecutionType } from '../schema/types/execution.type.js';

/**
 * What a list of executions must read of each row for the fields its query selects: the executions
 * list reads those columns only (a list that shows four fields need not parse twenty), and its
 * workflows' names in the same statement when no more of a workflow is shown.
 */

type SummaryField = ExecutionListField;

/**
 * The summary fields each `Execution` field is resolved from; `id` is always read. A field missing
 * here (one another resolver adds) reads every column, so that a new field is never answered short.
 */
const FIELD_READS: { [F in Exclude<keyof ExecutionType, 'stored' | 'workflowName'>]: readonly SummaryField[] } & Record<
  string,
  readonly SummaryField[]
> = {
  __typename: [],
  id: [],
  workflowId: ['workflowId'],
  workflowVersion: ['workflowVersion'],
  status: ['status'],
  error: ['error'],
  trigger: ['triggerType', 'triggerSource'],
  idempotencyKey: ['idempotencyKey'],
  parentExecutionId: ['parentExecutionId'],
  parentStepKey: ['parentStepKey'],
  cancelRequested: ['cancelRequested'],
  pauseRequested: ['pauseRequested'],
  priority: ['priority'],
  concurrency: ['concurrency'],
  lastSequence: ['lastEventSeq'],
  createdAt: ['createdAt'],
  startedAt: ['startedAt'],
  completedAt: ['completedAt'],
  updatedAt: ['updatedAt'],
  durationMs: ['startedAt', 'completedAt'],
  // Field resolvers of execution.resolver.ts: by the run's id, its workflow, or its pinned version.
  context: [],
  result: [],
  steps: [],
  events: [],
  workflow: ['workflowId'],
  definition: ['workflowId', 'workflowVersion'],
  step: ['workflowId', 'workflowVersion'],
};

/** What of a workflow the page's own statement reads (`workflowName`): a selection of no more is answered from it. */
const WORKFLOW_FIELDS_READ_WITH_THE_PAGE: ReadonlySet<string> = new Set(['__typename', 'id', 'name']);

export type ExecutionFields = ReadonlySet<SummaryField> | 'all';

/** Fields of a selection set, through fragments and inline fragments (directives ignored: a superset). */
function fieldsOf(selectionSet: SelectionSetNode | undefined, fragments: GraphQLResolveInfo['fragments'], into: FieldNode[]): FieldNode[] {
  for (const selection of selectionSet?.selections ?? []) {
    switch (selection.kind) {
      case Kind.FIELD:
        into.push(selection);
        break;
      case Kind.INLINE_FRAGMENT:
        fieldsOf(selection.selectionSet, fragments, into);
        break;
      case Kind.FRAGMENT_SPREAD: {
        const fragment: FragmentDefinitionNode | undefined = fragments[selection.name.value];
        fieldsOf(fragment?.selectionSet, fragments, into);
        break;
      }
      default:
        assertNever(selection, 'selection');
    }
  }
  return into;
}

function executionFieldsOf(info: GraphQLResolveInfo): ExecutionFields {
  const wanted = new Set<SummaryField>();
  // Every `workflow` under the list (aliases, fragments) asks no more than the page can read with it.
  let workflowShownByPage: boolean | undefined;
  for (const connectionField of fieldsOf({ kind: Kind.SELECTION_SET, selections: info.fieldNodes }, info.fragments, [])) {
    // The connection's `nodes`, and `edges { node }`: the executions themselves.
    const connection = fieldsOf(connectionField.selectionSet, info.fragments, []);
    const edgeNodes = connection
      .filter((field) => field.name.value === 'edges')
      .flatMap((edges) => fieldsOf(edges.selectionSet, info.fragments, []).filter((field) => field.name.value === 'node'));
    for (const node of [...connection.filter((field) => field.name.value === 'nodes'), ...edgeNodes]) {
      for (const field of fieldsOf(node.selectionSet, info.fragments, [])) {
        const reads = FIELD_READS[field.name.value];
        if (!reads) return 'all';
        for (const read of reads) wanted.add(read);
        if (field.name.value === 'workflow') {
          const shown = fieldsOf(field.selectionSet, info.fragments, []).every((sub) =>
            WORKFLOW_FIELDS_READ_WITH_THE_PAGE.has(sub.name.value),
          );
          workflowShownByPage = (workflowShownByPage ?? true) && shown;
        }
      }
    }
  }
  if (workflowShownByPage) wanted.add('workflowName');
  return wanted;
}

/** Per field node of a parsed document (Apollo keeps one per distinct query text): worked out once. */
const known = new WeakMap<FieldNode, ExecutionFields>();

/** What the executions list selected by `info` shows of each execution. */
export function selectedExecutionFields(info: GraphQLResolveInfo): ExecutionFields {
  const [head] = info.fieldNodes;
  if (!head) return 'all';
  let fields = known.get(head);
  if (fields === undefined) {
    fields = executionFieldsOf(info);
    known.set(head, fields);
  }
  return fields;
}
