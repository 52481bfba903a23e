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
