/** A sub_workflow step's run, as the step's `step.waiting` event names it (its record keeps only the child's result). */
export interface ChildRun {
  stepKey: string;
  executionId: string;
}

/** The child runs a run started, in the order its sub_workflow steps started them, each once. */
export function childRuns(events: readonly { type: string; stepKey: string | null; payload: Record<string, unknown> }[]): ChildRun[] {
  const seen = new Set<string>();
  const children: ChildRun[] = [];
  for (const event of events) {
    const id = event.payload['childExecutionId'];
    if (event.type !== 'step.waiting' || !event.stepKey || typeof id !== 'string' || seen.has(id)) continue;
    seen.add(id);
    children.push({ stepKey: event.stepKey, executionId: id });
  }
  return children;
}
