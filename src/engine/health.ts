/** What a readiness check reports of one long-running component (job queue runner, dispatcher, scheduler). */
export interface ComponentHealth {
  ok: boolean;
  detail?: string;
}

/** Healthy unless its last attempt failed: `lastFailure` is that failure's message. */
export function healthAfter(lastFailure: string | undefined): ComponentHealth {
  return lastFailure === undefined ? { ok: true } : { ok: false, detail: lastFailure };
}
