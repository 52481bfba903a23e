import { memo, useEffect, useMemo, useState } from 'react';
import { formatDuration } from '../ui/format';
import { buildTimeline, RUN_ROW, type Segment, type TimelineEvent } from './timeline';

const TICKS = [0, 0.25, 0.5, 0.75, 1];

/** The time now, once a second while `live` (the open bars grow); fixed otherwise. */
function useNow(live: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [live]);
  return now;
}

const MARKS = new Set(['compensation', 'skipped', 'decision']);

function describe(key: string, segment: Segment): string {
  const what =
    segment.kind === 'attempt'
      ? `attempt ${segment.attempt ?? '?'}`
      : segment.kind === 'backoff'
        ? `back-off after attempt ${segment.attempt ?? '?'}`
        : segment.kind;
  const how = segment.open ? 'going on' : (segment.outcome ?? '');
  const long = MARKS.has(segment.kind) ? '' : ` · ${formatDuration(segment.end - segment.start)}`;
  return `${key}: ${what}${how ? ` · ${how}` : ''}${long}${segment.note ? ` · ${segment.note}` : ''}`;
}

interface Props {
  events: readonly TimelineEvent[];
  /** The run goes on: open bars run up to now. */
  live: boolean;
  onSelectStep(key: string): void;
}

/** The run's steps on a time axis: every attempt, wait and back-off a bar, retries side by side; live while the run goes on. */
export const TimelineView = memo(function TimelineView({ events, live, onSelectStep }: Props) {
  const now = useNow(live);
  const timeline = useMemo(() => buildTimeline(events, now, live), [events, now, live]);
  const span = Math.max(timeline.end - timeline.start, 1);
  const at = (time: number) => `${((time - timeline.start) / span) * 100}%`;

  if (timeline.rows.length === 0) return <p className="muted">Nothing has run yet.</p>;
  return (
    <section className="timeline" aria-label="Timeline">
      <div className="timeline-row timeline-axis" aria-hidden="true">
        <span className="timeline-label" />
        <div className="timeline-track">
          {TICKS.map((tick) => (
            <span key={tick} className="timeline-tick" style={{ left: `${tick * 100}%` }}>
              {formatDuration(span * tick)}
            </span>
          ))}
        </div>
      </div>
      {timeline.rows.map((row) => (
        <div key={row.key} className="timeline-row" data-timeline-step={row.key}>
          {row.key === RUN_ROW ? (
            <span className="timeline-label muted">(run)</span>
          ) : (
            <button type="button" className="link timeline-label" onClick={() => onSelectStep(row.key)}>
              {row.key}
            </button>
          )}
          <div className="timeline-track">
            {row.segments.map((segment, index) => (
              <span
                key={index}
                role="img"
                aria-label={describe(row.key, segment)}
                title={describe(row.key, segment)}
                className="timeline-bar"
                data-kind={segment.kind}
                data-outcome={segment.outcome ?? undefined}
                data-attempt={segment.attempt ?? undefined}
                data-open={segment.open}
                style={{ left: at(segment.start), width: `${((segment.end - segment.start) / span) * 100}%` }}
              />
            ))}
          </div>
        </div>
      ))}
      <p className="timeline-legend muted">
        <span data-kind="attempt">attempt</span> <span data-kind="waiting">waiting</span>{' '}
        <span data-kind="backoff">back-off before a retry</span> <span data-kind="queued">run queued</span>{' '}
        <span data-kind="parked">run parked</span> <span data-kind="compensation">compensation</span>{' '}
        <span data-kind="decision">approval decision</span>
      </p>
    </section>
  );
});
