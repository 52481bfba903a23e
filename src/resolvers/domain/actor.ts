import { requireViewer, viewerSource, type Viewer } from '../../auth/viewer.js';
import type { RequestContext } from '../../context.js';

/** Who acts, as domain records name them: a label for people (`acceptedBy`, `approvedBy`) and a source for events. */
export interface Actor {
  viewer: Viewer;
  tenantId: string;
  name: string;
  source: string;
}

export function actorOf(ctx: RequestContext): Actor {
  const viewer = requireViewer(ctx.viewer);
  return {
    viewer,
    tenantId: viewer.tenantId,
    name: viewer.kind === 'user' ? viewer.email : `api-key:${viewer.name}`,
    source: viewerSource(viewer),
  };
}
