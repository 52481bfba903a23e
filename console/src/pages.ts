import { lazy, type ComponentType } from 'react';
import { matchPath } from 'react-router';

/**
 * The pages behind sign-in, each a chunk of its own loaded when first shown: a page opened by its address
 * compiles its own code, not every page's (a run's page needs React Flow and dagre; the executions table
 * needs neither). Paths are the router's, below the layout.
 */
const loaders = [
  { path: 'executions', load: async () => (await import('./executions/ExecutionsPage')).ExecutionsPage },
  { path: 'executions/:id', load: async () => (await import('./run/RunPage')).RunPage },
  { path: 'events', load: async () => (await import('./events/EventsPage')).EventsPage },
  { path: 'events/:id', load: async () => (await import('./events/EventPage')).EventPage },
  { path: 'records/:type/:id', load: async () => (await import('./records/RecordPage')).RecordPage },
  { path: 'approvals', load: async () => (await import('./approvals/ApprovalsPage')).ApprovalsPage },
  { path: 'schedules', load: async () => (await import('./schedules/SchedulesPage')).SchedulesPage },
  { path: 'workflows', load: async () => (await import('./workflows/WorkflowsPage')).WorkflowsPage },
  // Before workflows/:name, which would match it too (for the preload; the router ranks them itself).
  { path: 'workflows/new', load: async () => (await import('./editor/EditorPage')).EditorPage },
  { path: 'workflows/:name', load: async () => (await import('./workflow/WorkflowPage')).WorkflowPage },
  { path: 'workflows/:name/edit', load: async () => (await import('./editor/EditorPage')).EditorPage },
] satisfies { path: string; load: () => Promise<ComponentType> }[];

export const pages = loaders.map(({ path, load }) => ({ path, Page: lazy(async () => ({ default: await load() })) }));

/**
 * Starts loading the chunk of the page at `pathname` (the address the console was opened at), so that it
 * arrives beside the session's first requests rather than after the viewer (`me`) came back. The lazy
 * page's own import later finds the module loaded or on its way.
 */
export function preloadPage(pathname: string): void {
  const page = loaders.find(({ path }) => matchPath(`/${path}`, pathname)) ?? (pathname === '/' ? loaders[0] : undefined);
  void page?.load();
}
