import type { Logger } from '../../logger.js';
import type { StepDefinition } from '../definition/step-types.js';
import type { StepOutcome } from '../steps/types.js';
import { attemptEnd } from './apply-outcome.js';
import type { StepState } from './state.js';
import type { CheckpointWriter } from './checkpoint-writer.js';
import type { ExecutorDeps, LeasedExecution } from './executor-deps.js';
import type { EngineObserver, RunRef } from '../ports.js';
import type { Queryable } from '../../infra/queryable.js';
import { expireLease, handBack, park, renewLease, type LeaseNews } from '../store/leases.js';
import { withFields } from '../../infra/with-fields.js';

/** A claimed run that was not running before: its watchers hear it started (or resumed), as CLAIM logged it. */
export function announceClaim(writer: Pick<CheckpointWriter, 'publish'>, leased: LeasedExecution): void {
  if (leased.previous_status === 'running') return;
  const type = leased.previous_status === 'pending' ? 'execution.started' : 'execution.resumed';
  writer.publish(
    {
      executionId: leased.id,
      tenantId: leased.tenant_id,
      epoch: Number(leased.lease_epoch),
      steps: [],
      waits: [],
      events: [{ type, payload: { status: 'running' } }],
    },
    { lastEventSeq: leased.last_event_seq, signalSeq: leased.signal_seq },
  );
}

/** A run this worker parked: its watchers hear it is waiting or paused, as PARK logged it. */
function announceParked(
  writer: Pick<CheckpointWriter, 'publish'>,
  lease: Pick<RunLease, 'executionId' | 'tenantId' | 'epoch'>,
  parked: { status: 'waiting' | 'paused'; wakeAt: Date | undefined; lastEventSeq: number; signalSeq: number },
): void {
  const { status, wakeAt, lastEventSeq, signalSeq } = parked;
  writer.publish(
    {
      executionId: lease.executionId,
      tenantId: lease.tenantId,
      epoch: lease.epoch,
      steps: [],
      waits: [],
      events: [{ type: `execution.${status}`, payload: parkedPayload(status, wakeAt) }],
    },
    { lastEventSeq, signalSeq },
  );
}

/** An attempt that ended (not one that waits or opened a container), for the observer. */
export function observeStepEnd(
  observer: EngineObserver,
  ref: RunRef,
  attempt: { step: StepDefinition; current: StepState; outcome: StepOutcome; next: StepState | undefined; now: Date },
): void {
  const { step, current, outcome, next, now } = attempt;
  const end = attemptEnd(outcome, next);
  if (!end) return;
  const seconds = current.startedAt ? (now.getTime() - current.startedAt.getTime()) / 1000 : undefined;
  const code = outcome.kind === 'failed' ? outcome.error.code : undefined;
  observer.stepEnded(withFields(ref, { type: step.type, step: step.name, attempt: current.attempts, end, code, seconds }));
}

/** Who a run is, to the observer and the tracer. */
export function runRef(leased: LeasedExecution, workflow: string): RunRef {
  return { workflow, executionId: leased.id, tenantId: leased.tenant_id, ...(leased.request_id ? { requestId: leased.request_id } : {}) };
}

/** Runs one segment of a run (this lease) inside its span, when tracing is on. */
export function inSegment(deps: ExecutorDeps, leased: LeasedExecution, workflow: string, body: () => Promise<void>): Promise<void> {
  if (!deps.tracer) return body();
  const { workflow_version: version, lease_epoch: epoch, trace_parent: traceParent } = leased;
  return deps.tracer.segment(
    withFields(runRef(leased, workflow), { version, epoch: Number(epoch), traceParent: traceParent ?? undefined }),
    body,
  );
}

/**
 * What a claim tells the observer: how long the run waited, due, for a worker (a local start: about
 * nothing), and whether it starts, is taken over, or resumes after it was parked.
 */
export function observeClaim(observer: EngineObserver, ref: RunRef, leased: LeasedExecution, now: Date): void {
  if (leased.wake_at) observer.executionClaimed(withFields(ref, { seconds: (now.getTime() - new Date(leased.wake_at).getTime()) / 1000 }));
  if (leased.previous_status === 'pending') observer.executionStarted(withFields(ref, { trigger: leased.trigger_type }));
  else if (leased.previous_status === 'running') observer.leaseTakenOver(ref);
  else observer.executionResumed(ref);
}

/**
 * The lease a worker holds on one run, at one epoch: every statement here is fenced by that epoch, so
 * a worker that lost the lease changes nothing.
 */
export class RunLease {
  readonly executionId: string;
  readonly tenantId: string;
  readonly epoch: number;

  constructor(
    private readonly deps: { db: Queryable; logger: Logger; leaseSeconds: number; writer: Pick<CheckpointWriter, 'publish'> },
    leased: LeasedExecution,
  ) {
    this.executionId = leased.id;
    this.tenantId = leased.tenant_id;
    this.epoch = Number(leased.lease_epoch);
  }

  /** Extends the lease; undefined when it is lost (another worker took the run over). */
  renew(): Promise<LeaseNews | undefined> {
    return renewLease(this.deps.db, this, this.deps.leaseSeconds);
  }

  /**
   * The run failed here (the database went away mid-checkpoint, a defect): the lease runs out now, so
   * the recovery scan releases the run at its next pass. When the database is still away, the lease
   * simply runs out in time.
   */
  async expire(): Promise<void> {
    await expireLease(this.deps.db, this).catch((error: unknown) => {
      this.deps.logger.debug({ err: error, executionId: this.executionId }, 'could not expire the lease of a failed run; it will run out');
    });
  }

  /** Gives the run back, due now (this worker is shutting down): another worker claims it at once. */
  async handBack(): Promise<void> {
    await handBack(this.deps.db, this);
    this.deps.logger.info({ executionId: this.executionId }, 'handed the execution back: this worker is shutting down');
  }

  /**
   * Releases the run until `wakeAt` (or a signal), recording `execution.<status>`, which its watchers
   * hear. Refused (false) when a signal arrived since `signalSeq` or the lease is gone.
   */
  async park(status: 'waiting' | 'paused', wakeAt: Date | undefined, signalSeq: number): Promise<boolean> {
    const parked = await park(this.deps.db, this, { status, wakeAt, signalSeq, payload: parkedPayload(status, wakeAt) });
    if (!parked) return false;
    announceParked(this.deps.writer, this, { status, wakeAt, lastEventSeq: parked.lastEventSeq, signalSeq });
    return true;
  }
}

function parkedPayload(status: 'waiting' | 'paused', wakeAt: Date | undefined): { status: string; wakeAt?: string } {
  return { status, ...(wakeAt ? { wakeAt: wakeAt.toISOString() } : {}) };
}
