/**
 * A run's timeline (Gantt), from its event log: per step, each attempt as a bar from `step.started` to
 * how it ended; a wait inside an attempt (`step.waiting` until the step completes or fails); the back-off
 * between a failed attempt and the next (`step.retrying` until the next `step.started`); a compensation
 * and a skip as marks; and the run's own spells: queued behind a concurrency limit (`execution.queued`, or
 * `execution.retried` into the queue, until `execution.started` / `execution.resumed`) and parked
 * (`execution.waiting` / `execution.paused` until `execution.resumed`). An approval step's wait says how
 * far its request got, and each decision (`approval.decided`) is a mark on the step's row. Pure: TimelineView draws it. What is still open ends at `now` (live) or at the
 * run's last event (finished).
 */
export interface TimelineEvent {
  type: string;
  stepKey: string | null;
  at: string;
  payload: Record<string, unknown>;
}

import { approvalsOf, decisionSummary } from './event-summary.js';

export type SegmentKind = 'attempt' | 'waiting' | 'backoff' | 'compensation' | 'skipped' | 'queued' | 'parked' | 'decision';

export interface Segment {
  kind: SegmentKind;
  /** Milliseconds since the epoch. */
  start: number;
  end: number;
  /** Still going when the timeline was drawn. */
  open: boolean;
  /** An attempt's number (a wait's and a back-off's: the attempt it belongs to or follows). */
  attempt: number | null;
  /** How it ended: completed, failed, retrying, waiting (an attempt that went on waiting), a compensation's status, or a decision (approved, rejected). */
  outcome: string | null;
  /** What a person reads of it: an approval's wait, how far its request got; a decision, who decided and why. */
  note?: string;
}

export interface TimelineRow {
  /** A step's key; `run` for the run's own spells (queued, parked). */
  key: string;
  segments: Segment[];
}

export interface Timeline {
  start: number;
  end: number;
  rows: TimelineRow[];
}

export const RUN_ROW = 'run';

export function buildTimeline(events: readonly TimelineEvent[], now: number, live: boolean): Timeline {
  const rows = new Map<string, TimelineRow>();
  const open = new Map<string, Segment>();
  const rowOf = (key: string) => {
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { key, segments: [] }));
    return row;
  };
  const begin = (key: string, kind: SegmentKind, at: number, attempt: number | null) => {
    const segment: Segment = { kind, start: at, end: at, open: true, attempt, outcome: null };
    rowOf(key).segments.push(segment);
    open.set(key, segment);
    return segment;
  };
  const finish = (key: string, at: number, outcome: string | null) => {
    const segment = open.get(key);
    if (!segment) return null;
    segment.end = at;
    segment.open = false;
    segment.outcome = outcome;
    open.delete(key);
    return segment;
  };
  const mark = (key: string, kind: SegmentKind, at: number, outcome: string | null) =>
    rowOf(key).segments.push({ kind, start: at, end: at, open: false, attempt: null, outcome });

  rowOf(RUN_ROW);
  for (const event of events) {
    const at = Date.parse(event.at);
    const key = event.stepKey;
    const attempt = typeof event.payload['attempt'] === 'number' ? event.payload['attempt'] : null;
    if (event.type === 'execution.waiting' || event.type === 'execution.paused') {
      finish(RUN_ROW, at, null);
      // Until it resumes, the spell says why it parked.
      begin(RUN_ROW, 'parked', at, null).outcome = event.type.slice('execution.'.length);
      continue;
    }
    // Held back by a concurrency limit (started so, or retried into the queue) until a slot takes it.
    if (event.type === 'execution.queued' || (event.type === 'execution.retried' && event.payload['status'] === 'queued')) {
      finish(RUN_ROW, at, null);
      begin(RUN_ROW, 'queued', at, null);
      continue;
    }
    if (event.type === 'execution.resumed' || event.type === 'execution.started') {
      const spell = open.get(RUN_ROW);
      finish(RUN_ROW, at, spell?.kind === 'queued' ? 'started' : (spell?.outcome ?? null));
      continue;
    }
    const final = /^execution\.(completed|failed|cancelled)$/.exec(event.type);
    if (final) {
      // The run's end ends whatever was still going (a wait of a cancelled run).
      for (const [owner, segment] of [...open]) finish(owner, at, segment.kind === 'parked' ? segment.outcome : (final[1] ?? null));
      continue;
    }
    if (!key) continue;
    switch (event.type) {
      case 'step.started':
        finish(key, at, 'retried');
        begin(key, 'attempt', at, attempt);
        break;
      case 'step.waiting': {
        const attemptOf = open.get(key)?.attempt ?? null;
        finish(key, at, 'waiting');
        const wait = begin(key, 'waiting', at, attemptOf);
        const request = event.payload['awaitingApproval'];
        if (typeof request === 'object' && request !== null && !Array.isArray(request)) {
          const { approvals, required } = request as Record<string, unknown>;
          wait.note = `awaiting approval (${approvalsOf(approvals, required) ?? 'pending'})`;
        }
        break;
      }
      case 'approval.decided': {
        const decision = event.payload['decision'] === 'approve' ? 'approved' : 'rejected';
        rowOf(key).segments.push({
          kind: 'decision',
          start: at,
          end: at,
          open: false,
          attempt: null,
          outcome: decision,
          note: decisionSummary(event.payload),
        });
        // The wait it belongs to now shows how far the request got.
        const wait = open.get(key);
        const tally = approvalsOf(event.payload['approvals'], event.payload['required']);
        if (wait?.kind === 'waiting' && tally) wait.note = `awaiting approval (${tally})`;
        break;
      }
      case 'step.retrying': {
        const ended = finish(key, at, 'retrying');
        begin(key, 'backoff', at, ended?.attempt ?? attempt);
        break;
      }
      case 'step.completed':
      case 'step.failed':
        finish(key, at, event.type.slice('step.'.length));
        break;
      case 'step.skipped':
        mark(key, 'skipped', at, 'skipped');
        break;
      case 'compensation.completed':
      case 'compensation.failed':
        mark(key, 'compensation', at, event.type.slice('compensation.'.length));
        break;
      default:
        break;
    }
  }

  const times = events.map((event) => Date.parse(event.at));
  const start = times.length ? Math.min(...times) : now;
  const last = times.length ? Math.max(...times) : now;
  const end = live ? Math.max(now, last) : last;
  for (const segment of open.values()) {
    segment.end = end;
    segment.open = live;
  }
  const result = [...rows.values()].filter((row) => row.segments.length > 0);
  return { start, end, rows: result };
}
