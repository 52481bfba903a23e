import type { LineageAction, RecordLineageQuery, RecordType } from '../generated/graphql';

/** The record types whose lineage the API keeps, as the console names them (and in their pages' paths). */
export const RECORD_TYPES: Record<RecordType, { path: string; label: string }> = {
  CUSTOMER: { path: 'customer', label: 'Customer' },
  SUBSCRIPTION: { path: 'subscription', label: 'Subscription' },
  LICENSE: { path: 'license', label: 'License' },
  DEPLOYMENT: { path: 'deployment', label: 'Deployment' },
  ALLOCATION: { path: 'allocation', label: 'Allocation' },
  ORDER: { path: 'order', label: 'Order' },
  TICKET: { path: 'ticket', label: 'Ticket' },
  LEAD: { path: 'lead', label: 'Lead' },
  QUOTE: { path: 'quote', label: 'Quote' },
  INVOICE: { path: 'invoice', label: 'Invoice' },
  PAYMENT: { path: 'payment', label: 'Payment' },
  PAYMENT_INTENT: { path: 'payment-intent', label: 'Payment intent' },
  PARTNER: { path: 'partner', label: 'Partner' },
};

/** A record's page in the console: its lineage (and, for a customer, the customer and its records). */
export function recordPath(type: RecordType, id: string): string {
  return `/records/${RECORD_TYPES[type].path}/${encodeURIComponent(id)}`;
}

/** The record type a page path names; null for none. */
export function recordTypeOf(path: string): RecordType | null {
  const entry = Object.entries(RECORD_TYPES).find(([, names]) => names.path === path);
  return entry ? (entry[0] as RecordType) : null;
}

/** One step of one run that created or changed a record. */
export interface Touch {
  execution: { id: string; workflow: { name: string } };
  step: string;
  action: LineageAction;
  at: string;
}

/**
 * A record's touches, oldest first, from the runs that touched it (`executions(filter: { touching })`),
 * each run naming what its steps touched: the entries for this record.
 */
export function touchesOf(runs: RecordLineageQuery['executions']['nodes'], type: RecordType, id: string): Touch[] {
  return runs
    .flatMap((run) =>
      run.touchedRecords
        .filter((record) => record.type === type && record.id === id)
        .map((record) => ({ execution: run, step: record.step, action: record.action, at: record.at })),
    )
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
