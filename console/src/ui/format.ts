/** "1.2 s", "340 ms", "2 min 5 s"; an em dash when unknown. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** One formatter for every timestamp: building one per call costs more than the formatting. */
const TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return TIME.format(new Date(iso));
}

/** JSON for a panel: pretty, and a hint rather than nothing when absent. */
export function formatJson(value: unknown): string {
  return value === undefined || value === null ? '—' : JSON.stringify(value, null, 2);
}

/** A rate in 0..1 as "97.5 %"; an em dash when unknown. */
export function formatPercent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${Math.round(rate * 1000) / 10} %`;
}
