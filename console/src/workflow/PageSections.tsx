import type { MouseEvent, ReactNode } from 'react';

/** The workflow page's parts, in page order: the section's element id and its name. */
export const WORKFLOW_SECTIONS = [
  ['workflow-stats', 'Stats'],
  ['workflow-graph', 'Graph'],
  ['workflow-triggers', 'Triggers'],
  ['workflow-schedules', 'Schedules'],
  ['workflow-versions', 'Versions'],
] as const;

type SectionId = (typeof WORKFLOW_SECTIONS)[number][0];

/**
 * Links to each part of a long page: a keyboard user goes to Schedules with Tab and Enter, not by tabbing
 * through every node of the graph. The section itself takes the focus (and scrolls into view), so the next
 * Tab goes on inside it.
 */
export function SectionNav() {
  const jump = (event: MouseEvent<HTMLAnchorElement>, id: SectionId) => {
    const target = document.getElementById(id);
    if (!target) return;
    event.preventDefault();
    target.focus();
  };
  return (
    <nav aria-label="On this page" className="section-nav">
      <ul>
        {WORKFLOW_SECTIONS.map(([id, name]) => (
          <li key={id}>
            <a href={`#${id}`} onClick={(event) => jump(event, id)}>
              {name}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A part of the page SectionNav leads to: a named region that can take the focus. */
export function PageSection({ id, heading, children }: { id: SectionId; heading?: boolean; children: ReactNode }) {
  const name = WORKFLOW_SECTIONS.find(([candidate]) => candidate === id)?.[1] ?? id;
  return (
    <section id={id} tabIndex={-1} aria-label={name} className="page-section">
      {heading === false ? null : <h2>{name}</h2>}
      {children}
    </section>
  );
}
