import { missingVariables, renderTemplate, escapeHtml } from '../../../../src/services/communications/render-template.js';
import { retryDelayMs } from '../../../../src/services/outbox/backoff.js';
import { mikrotikRateLimit, parseBandwidthProfile, profileGroupName } from '../../../../src/services/radius/bandwidth-profile.js';

describe('bandwidth profiles', () => {
  it.each([
    ['100M/20M', 100_000, 20_000],
    ['1G/500M', 1_000_000, 500_000],
    ['512k/256k', 512, 256],
    ['100/20', 100_000, 20_000],
    ['100Mbps', 100_000, 100_000],
    [' 2.5m / 1m ', 2_500, 1_000],
  ])('reads %s', (profile, downloadKbps, uploadKbps) => {
    expect(parseBandwidthProfile(profile)).toEqual({ downloadKbps, uploadKbps });
  });

  it.each(['fast', '100M/20M/5M', '', '0M'])('refuses %j', (profile) => {
    expect(() => parseBandwidthProfile(profile)).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });

  it("writes MikroTik rate limits from the router's side (upload/download) and names groups", () => {
    const profile = parseBandwidthProfile('100M/20M');
    expect(mikrotikRateLimit(profile)).toBe('20M/100M');
    expect(profileGroupName(profile)).toBe('bw-100M-20M');
    expect(mikrotikRateLimit(parseBandwidthProfile('1.5M/512k'))).toBe('512k/1500k');
  });
});

describe('templates', () => {
  it('fills dotted placeholders, escapes through the given function, and reads own keys only', () => {
    expect(renderTemplate('{{a}}-{{ b.c }}-{{n}}-{{t}}-{{z}}', { a: '<x>', b: { c: 'd' }, n: 3, t: true, z: null }, escapeHtml)).toBe(
      '&lt;x&gt;-d-3-true-',
    );
    expect(missingVariables('{{constructor}} {{a.toString}} {{list}}', { a: 'x', list: [1] })).toEqual([
      'constructor',
      'a.toString',
      'list',
    ]);
    expect(renderTemplate('{{ not a placeholder }} {{{x}}}', { x: 'y' }, escapeHtml)).toBe('{{ not a placeholder }} {y}');
  });
});

describe('retry backoff', () => {
  it('doubles per failure up to the cap, jittered down by at most half', () => {
    const policy = { baseMs: 1_000, maxMs: 10_000 };
    expect([1, 2, 3, 4, 5].map((failures) => retryDelayMs(failures, policy, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000]);
    expect(retryDelayMs(3, policy, () => 0)).toBe(2_000);
  });
});
