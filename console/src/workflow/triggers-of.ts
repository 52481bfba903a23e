/** A trigger of the definition: the domain event that starts a run, with its filter and context expressions. */
export interface Trigger {
  event: string;
  filter: string | null;
  context: string | null;
  /** Its runs' priority among runs queued by a concurrency limit; null: the default (0). */
  priority: number | null;
}

/** The definition's `triggers`: the domain events that start a run, with their filter and context expressions. */
export function triggersOf(definition: unknown): Trigger[] {
  const triggers = typeof definition === 'object' && definition !== null ? (definition as Record<string, unknown>)['triggers'] : undefined;
  if (!Array.isArray(triggers)) return [];
  return triggers.flatMap((trigger: unknown) => {
    if (typeof trigger !== 'object' || trigger === null) return [];
    const { event, filter, context, priority } = trigger as Record<string, unknown>;
    if (typeof event !== 'string') return [];
    return [
      {
        event,
        filter: typeof filter === 'string' ? filter : null,
        context: typeof context === 'string' ? context : null,
        priority: typeof priority === 'number' ? priority : null,
      },
    ];
  });
}
