import { CROCKFORD_ALPHABET } from '../../../../src/services/shared/identifiers.js';
import { addMonths, addPeriod, parsePeriod } from '../../../../src/services/shared/periods.js';
import { slugCandidates, slugify } from '../../../../src/services/deployment/tenant-slug.js';
import { generateLicenseKey, isWellFormedLicenseKey } from '../../../../src/services/license/license-key.js';
import { applyBasisPoints } from '../../../../src/services/partner/commission-rules.js';

describe('commercial rules', () => {
  describe('license keys', () => {
    it('are random and well formed', () => {
      const keys = Array.from({ length: 500 }, generateLicenseKey);
      expect(new Set(keys).size).toBe(keys.length);
      for (const key of keys) {
        expect(key).toMatch(/^SWY(-[0-9A-HJKMNP-TV-Z]{5}){4}-[0-9A-HJKMNP-TV-Z]$/);
        expect(isWellFormedLicenseKey(key)).toBe(true);
      }
    });

    it('reject every single-character typo and every swap of neighbours but 0/Z', () => {
      const key = generateLicenseKey();
      const positions = [...key].flatMap((char, index) => (char === '-' || index < 4 ? [] : [index]));
      for (const index of positions) {
        for (const replacement of CROCKFORD_ALPHABET) {
          if (replacement === key[index]) continue;
          expect(isWellFormedLicenseKey(key.slice(0, index) + replacement + key.slice(index + 1))).toBe(false);
        }
      }
      const chars = key.slice(4).replaceAll('-', '');
      for (let i = 0; i + 1 < chars.length; i += 1) {
        const pair = `${chars[i]}${chars[i + 1]}`;
        // Luhn mod 32 cannot see a swap of 0 and Z (values 0 and 31), as decimal Luhn cannot see 09 ↔ 90.
        if (chars[i] === chars[i + 1] || pair === '0Z' || pair === 'Z0') continue;
        const swapped = chars.slice(0, i) + chars[i + 1] + chars[i] + chars.slice(i + 2);
        const rebuilt = `SWY-${swapped.slice(0, 5)}-${swapped.slice(5, 10)}-${swapped.slice(10, 15)}-${swapped.slice(15, 20)}-${swapped.slice(20)}`;
        expect(isWellFormedLicenseKey(rebuilt)).toBe(false);
      }
      expect(isWellFormedLicenseKey(key.toLowerCase())).toBe(false);
      expect(isWellFormedLicenseKey(`${key}0`)).toBe(false);
    });
  });

  describe('periods', () => {
    it('read months, names, phrases and ISO durations', () => {
      expect(parsePeriod(12, 'term')).toEqual({ months: 12, days: 0 });
      expect(parsePeriod('annual', 'term')).toEqual({ months: 12, days: 0 });
      expect(parsePeriod('3 months', 'term')).toEqual({ months: 3, days: 0 });
      expect(parsePeriod('2 weeks', 'term')).toEqual({ months: 0, days: 14 });
      expect(parsePeriod('P1Y2M10D', 'term')).toEqual({ months: 14, days: 10 });
      for (const bad of ['', 'P', 'soon', 0, -1, 1.5, 'P11Y'])
        expect(() => parsePeriod(bad, 'term')).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    });

    it('add calendar months, clamped to the end of shorter months', () => {
      expect(addMonths(new Date('2026-01-31T08:00:00Z'), 1).toISOString()).toBe('2026-02-28T08:00:00.000Z');
      expect(addMonths(new Date('2028-01-31T08:00:00Z'), 1).toISOString()).toBe('2028-02-29T08:00:00.000Z');
      expect(addMonths(new Date('2026-11-30T00:00:00Z'), 3).toISOString()).toBe('2027-02-28T00:00:00.000Z');
      expect(addPeriod(new Date('2026-01-31T00:00:00Z'), { months: 1, days: 1 }).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    });
  });

  it('apply basis points exactly, rounding half up', () => {
    expect(applyBasisPoints(1_001, 5_000)).toBe(501);
    expect(applyBasisPoints(1_003, 5_000)).toBe(502);
    expect(applyBasisPoints(4_497, 2_500)).toBe(1_124);
    expect(applyBasisPoints(9_007_199_254_740_991, 10_000)).toBe(9_007_199_254_740_991);
    expect(applyBasisPoints(0, 2_000)).toBe(0);
  });

  it('make DNS-safe tenant slugs', () => {
    expect(slugify('Ünïcorn Labs, Inc.')).toBe('unicorn-labs-inc');
    expect(slugify('***')).toBe('tenant');
    expect(slugify('a'.repeat(60))).toHaveLength(40);
    expect(slugCandidates('WWW')[0]).toMatch(/^www-[0-9a-z]{4}$/);
    expect(slugCandidates('Globex')[0]).toBe('globex');
  });
});
