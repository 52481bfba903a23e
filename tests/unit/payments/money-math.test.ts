import { describe, expect, it } from '@jest/globals';
import { convert, formatMinor, minorDigits, taxOf } from '../../../src/services/payments/money-math.js';

describe('money arithmetic in integer minor units', () => {
  it('computes tax at a rate in millionths, rounding once half up', () => {
    expect(taxOf(9_217, 190_000)).toBe(1_751); // 17.5123
    expect(taxOf(2_000, 72_500)).toBe(145); // 1.45 exactly
    expect(taxOf(50, 72_500)).toBe(4); // 3.625 → 4
    expect(taxOf(10, 50_000)).toBe(1); // 0.5 → 1
    expect(taxOf(9, 50_000)).toBe(0); // 0.45 → 0
    expect(taxOf(1_000, 0)).toBe(0);
    // Beyond 2^53 as an intermediate product, still exact.
    expect(taxOf(9_000_000_000_000_000, 190_000)).toBe(1_710_000_000_000_000);
  });

  it('converts between currencies at a rate in millionths, minding their minor digits', () => {
    expect(convert(10_000, 'USD', 'EUR', 921_659n)).toBe(9_217);
    expect(convert(10_000, 'USD', 'USD', 1n)).toBe(10_000);
    // 100.00 USD at 151.25 JPY/USD: 15,125 yen (JPY has no minor unit).
    expect(convert(10_000, 'USD', 'JPY', 151_250_000n)).toBe(15_125);
    // 1,000 yen at 0.006612 USD/JPY: 6.612 USD → 661 cents.
    expect(convert(1_000, 'JPY', 'USD', 6_612n)).toBe(661);
    expect(minorDigits('KWD')).toBe(3);
  });

  it('formats minor units for people', () => {
    expect(formatMinor(10_968, 'EUR')).toBe('109.68');
    expect(formatMinor(123_456_789, 'USD')).toBe('1,234,567.89');
    expect(formatMinor(15_125, 'JPY')).toBe('15,125');
    expect(formatMinor(5, 'EUR')).toBe('0.05');
  });
});
