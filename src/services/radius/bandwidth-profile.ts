import { AppError } from '../../errors.js';

export interface BandwidthProfile {
  /** To the subscriber, in kbit/s. */
  downloadKbps: number;
  /** From the subscriber, in kbit/s. */
  uploadKbps: number;
}

const UNIT_KBPS: Record<string, number> = { k: 1, m: 1_000, g: 1_000_000 };
const RATE = String.raw`(\d+(?:\.\d+)?)\s*([kmg])?(?:bps|bit\/s)?`;
const PROFILE = new RegExp(String.raw`^\s*${RATE}\s*(?:\/\s*${RATE}\s*)?$`, 'i');

/**
 * `100M/20M` (download/upload), `1G/500M`, `512k/256k`, `100/20` (Mbit/s), `100Mbps`, `100M`
 * (symmetric). Anything else is VALIDATION.
 */
export function parseBandwidthProfile(profile: string): BandwidthProfile {
  const match = PROFILE.exec(profile);
  if (!match) throw new AppError('VALIDATION', `bandwidth profile ${JSON.stringify(profile)} is not like 100M/20M (download/upload)`);
  const downloadKbps = toKbps(match[1], match[2]);
  const uploadKbps = match[3] === undefined ? downloadKbps : toKbps(match[3], match[4]);
  if (downloadKbps < 1 || uploadKbps < 1)
    throw new AppError('VALIDATION', `bandwidth profile ${JSON.stringify(profile)} is below 1 kbit/s`);
  return { downloadKbps, uploadKbps };
}

function toKbps(amount: string | undefined, unit: string | undefined): number {
  return Math.round(Number(amount) * (UNIT_KBPS[(unit ?? 'm').toLowerCase()] ?? 1_000));
}

/** `100M`, `1500k`: the units MikroTik's rate-limit syntax takes. */
export function formatRate(kbps: number): string {
  return kbps % 1_000 === 0 ? `${kbps / 1_000}M` : `${kbps}k`;
}

/**
 * MikroTik-Rate-Limit is `rx/tx` seen from the router: rx is what the subscriber uploads, tx what it
 * downloads.
 */
export function mikrotikRateLimit(profile: BandwidthProfile): string {
  return `${formatRate(profile.uploadKbps)}/${formatRate(profile.downloadKbps)}`;
}

/** The radusergroup group of a profile, e.g. `bw-100M-20M`. */
export function profileGroupName(profile: BandwidthProfile): string {
  return `bw-${formatRate(profile.downloadKbps)}-${formatRate(profile.uploadKbps)}`;
}
