import { describe, expect, it } from '@jest/globals';
import { REDACTED, redactSecrets } from '../../../src/resolvers/redact.js';

describe('redactSecrets', () => {
  it('hides values under secret-like keys, at any depth, in any spelling', () => {
    const recorded = {
      username: 'pppoe-17',
      password: 'hunter2',
      device: { pppoePassword: 'p', wifi_password: 'w', ssid: 'home' },
      tenants: [{ slug: 'acme', one_time_password: 'otp' }],
      webhookSecret: 's',
      accessToken: 't',
      apiKey: 'k',
      passwordHash: 'h',
      notes: null,
    };
    expect(redactSecrets(recorded)).toEqual({
      username: 'pppoe-17',
      password: REDACTED,
      device: { pppoePassword: REDACTED, wifi_password: REDACTED, ssid: 'home' },
      tenants: [{ slug: 'acme', one_time_password: REDACTED }],
      webhookSecret: REDACTED,
      accessToken: REDACTED,
      apiKey: REDACTED,
      passwordHash: REDACTED,
      notes: null,
    });
    // The record itself is left as it was: the next step still reads it.
    expect(recorded.password).toBe('hunter2');
  });

  it('returns data without secrets as it is', () => {
    const plain = { taskId: 't-1', tokens: 3, passwords_rotated: true, list: [1, 'two', { ok: true }] };
    expect(redactSecrets(plain)).toBe(plain);
    expect(redactSecrets('password')).toBe('password');
    expect(redactSecrets(null)).toBeNull();
  });
});
