import pg from 'pg';
import { FAST_TIMESTAMP_TYPES, parseTimestamptz } from '../../src/infra/pg-timestamps.js';

const byPg = pg.types.getTypeParser(1184, 'text') as (text: string) => Date | number | null;
const same = (value: Date | number | null) => (value instanceof Date ? `date ${value.getTime()}` : `${typeof value} ${String(value)}`);

/** `timestamptz` text as PostgreSQL writes it, for an instant, a fraction's digits and a zone. */
function written(instant: number, fractionDigits: number, zoneMinutes: number): string {
  const local = new Date(instant + zoneMinutes * 60_000).toISOString();
  const micros = String((instant % 1000) * 1000 + (instant % 7)).padStart(6, '0');
  const fraction = fractionDigits === 0 ? '' : `.${micros.slice(0, fractionDigits)}`;
  const sign = zoneMinutes < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(zoneMinutes) / 60)).padStart(2, '0');
  const minutes = Math.abs(zoneMinutes) % 60;
  return `${local.slice(0, 10)} ${local.slice(11, 19)}${fraction}${sign}${hours}${minutes === 0 ? '' : `:${String(minutes).padStart(2, '0')}`}`;
}

describe('timestamptz parsing', () => {
  it('answers what pg answers for the shape PostgreSQL writes: every fraction length, whole and half-hour zones', () => {
    const zones = [0, 60, -180, 330, -570, 765, 840, -720];
    let checked = 0;
    // Instants from year 100 to 9999, a prime step apart so that every field takes many values.
    for (let instant = Date.UTC(100, 0, 1, 12); instant < Date.UTC(9999, 11, 30); instant += 7_919_003_117_113) {
      for (let fractionDigits = 0; fractionDigits <= 6; fractionDigits += 1) {
        for (const zone of zones) {
          const text = written(instant, fractionDigits, zone);
          expect([text, same(parseTimestamptz(text))]).toEqual([text, same(byPg(text))]);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(2_000);
  });

  it.each([
    ['2026-12-02 20:24:24.123456+00'],
    ['2026-12-02 20:24:24.145+00'],
    ['2026-12-02 20:24:24.999999-03'],
    ['2024-02-29 23:59:59.5+14'],
    ['1970-01-01 00:00:00+00'],
    ['0099-06-15 10:00:00+00'],
    ['0044-03-15 12:00:00+00 BC'],
    ['12026-01-01 00:00:00+00'],
    ['1894-01-01 00:00:00+00:53:28'],
    ['infinity'],
    ['-infinity'],
    ['2026-12-02 20:24:24.1234567+00'],
    ['2026-12-02 20:24:24.+00'],
    ['2026-12-02T20:24:24Z'],
  ])('%s: the same as pg, down to the odd ones it hands to pg', (text) => {
    expect(same(parseTimestamptz(text))).toEqual(same(byPg(text)));
  });

  it('is the parser of timestamptz only (and of its text form): every other type keeps pg’s', () => {
    expect(FAST_TIMESTAMP_TYPES.getTypeParser(1184, 'text')).toBe(parseTimestamptz);
    expect(FAST_TIMESTAMP_TYPES.getTypeParser(1114, 'text')).toBe(pg.types.getTypeParser(1114, 'text'));
    expect(FAST_TIMESTAMP_TYPES.getTypeParser(3802, 'text')).toBe(pg.types.getTypeParser(3802, 'text'));
    expect(FAST_TIMESTAMP_TYPES.getTypeParser(1184, 'binary')).toBe(pg.types.getTypeParser(1184, 'binary'));
  });
});
