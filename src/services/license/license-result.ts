import { z } from 'zod';
import type { License } from '../../entities/domain/license.entity.js';

export type LicenseResult = {
  licenseId: string;
  licenseKey: string;
  customerId: string;
  seats: number;
  status: string;
  issuedAt: string;
  expiresAt: string | null;
};

export function licenseResult(license: License): LicenseResult {
  return {
    licenseId: license.id,
    licenseKey: license.key,
    customerId: license.customer.id,
    seats: license.seats,
    status: license.status,
    issuedAt: license.issuedAt.toISOString(),
    expiresAt: license.expiresAt?.toISOString() ?? null,
  };
}

/** What every answer carrying a license has (a method's declared output). */
export const licenseOutput = z.looseObject({
  licenseId: z.uuid(),
  licenseKey: z.string().min(1),
  customerId: z.uuid(),
  seats: z.int(),
  status: z.string(),
  issuedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
});
