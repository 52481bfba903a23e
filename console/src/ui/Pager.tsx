import { SoftDisabledButton } from './SoftDisabledButton';

type Cursors = (string | null)[];

interface Props {
  /** The `after` cursor of each page up to this one (the first: null): going back asks no offset of the server. */
  cursors: Cursors;
  setCursors(change: (stack: Cursors) => Cursors): void;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null } | undefined;
  /** The two buttons' words, in the list's own order (e.g. newer / older). */
  labels: readonly [string, string];
}

/**
 * Cursor paging for a list: back to the page before, on to the page after `endCursor`. The button that
 * reached the first or last page keeps the focus there (soft-disabled).
 */
export function Pager({ cursors, setCursors, pageInfo, labels: [back, on] }: Props) {
  return (
    <nav className="pager" aria-label="Pages">
      <SoftDisabledButton disabled={cursors.length === 1} onClick={() => setCursors((stack) => stack.slice(0, -1))}>
        ← {back}
      </SoftDisabledButton>
      <span className="muted">Page {cursors.length}</span>
      <SoftDisabledButton disabled={!pageInfo?.hasNextPage} onClick={() => setCursors((stack) => [...stack, pageInfo?.endCursor ?? null])}>
        {on} →
      </SoftDisabledButton>
    </nav>
  );
}
