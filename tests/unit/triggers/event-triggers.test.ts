import type { JsonValue } from '../../../src/entities/json.js';
import { decideTrigger, type TriggerEvent } from '../../../src/engine/triggers/event-triggers.js';
import { eventIdFor, isUuid, uuidFromKey, uuidV5 } from '../../../src/infra/event-ids.js';

const accepted: TriggerEvent = {
  id: '0b6f3d4e-1c2a-4f7b-9a1e-2d3c4b5a6f70',
  name: 'quote.accepted',
  payload: { quoteId: 'q-1', kind: 'new', acceptedBy: 'ada', totalAmount: 1200 },
};

describe('decideTrigger: which trigger starts a workflow, with which context', () => {
  it('ignores an event no trigger names', async () => {
    expect(await decideTrigger([{ event: 'lead.qualified' }], accepted)).toEqual({ kind: 'ignore' });
    expect(await decideTrigger(null, accepted)).toEqual({ kind: 'ignore' });
  });

  it('starts with the payload as context when the trigger has neither filter nor context', async () => {
    expect(await decideTrigger([{ event: 'quote.accepted' }], accepted)).toEqual({
      kind: 'start',
      context: accepted.payload,
      trigger: 0,
      priority: 0,
    });
  });

  it("starts with the trigger's priority among queued runs", async () => {
    expect(await decideTrigger([{ event: 'quote.accepted', priority: 7 }], accepted)).toEqual({
      kind: 'start',
      context: accepted.payload,
      trigger: 0,
      priority: 7,
    });
  });

  it('ignores the event when the filter rejects it, and starts when it accepts', async () => {
    const renewal = { ...accepted, payload: { ...accepted.payload, kind: 'renewal' } };
    const triggers = [{ event: 'quote.accepted', filter: "event.kind = 'new'" }];
    expect(await decideTrigger(triggers, renewal)).toEqual({ kind: 'ignore' });
    expect(await decideTrigger(triggers, accepted)).toMatchObject({ kind: 'start', trigger: 0 });
  });

  it('lets filters read the id and the name of the event', async () => {
    const triggers = [{ event: 'quote.accepted', filter: `eventId = "${accepted.id}" and eventName = "quote.accepted"` }];
    expect(await decideTrigger(triggers, accepted)).toMatchObject({ kind: 'start' });
    expect(await decideTrigger(triggers, { ...accepted, id: 'another' })).toEqual({ kind: 'ignore' });
  });

  it('maps the payload to the context with the context expression', async () => {
    const triggers = [
      { event: 'quote.accepted', context: '{ "quote_id": event.quoteId, "amount": event.totalAmount * 2, "by": eventName }' },
    ];
    expect(await decideTrigger(triggers, accepted)).toEqual({
      kind: 'start',
      context: { quote_id: 'q-1', amount: 2400, by: 'quote.accepted' },
      trigger: 0,
      priority: 0,
    });
  });

  it('takes the first trigger whose filter accepts, among several for the event', async () => {
    const triggers: JsonValue = [
      { event: 'lead.qualified', context: '{ "wrong": true }' },
      { event: 'quote.accepted', filter: 'event.totalAmount > 5000', context: '{ "size": "big" }' },
      { event: 'quote.accepted', filter: 'event.totalAmount > 1000', context: '{ "size": "medium" }' },
      { event: 'quote.accepted', context: '{ "size": "any" }' },
    ];
    expect(await decideTrigger(triggers, accepted)).toEqual({ kind: 'start', context: { size: 'medium' }, trigger: 2, priority: 0 });
  });

  it('fails, typed, when the context is not an object or an expression fails', async () => {
    expect(await decideTrigger([{ event: 'quote.accepted', context: 'event.quoteId' }], accepted)).toMatchObject({
      kind: 'error',
      error: { code: 'VALIDATION', message: expect.stringContaining('"q-1", not an object'), retryable: false },
    });
    expect(await decideTrigger([{ event: 'quote.accepted', filter: 'event.kind + 1' }], accepted)).toMatchObject({
      kind: 'error',
      error: { code: 'VALIDATION', retryable: false },
    });
  });
});

describe('event ids', () => {
  it('computes RFC 4122 version-5 UUIDs (the RFC namespace test vector)', () => {
    // uuid5(NAMESPACE_DNS, 'www.example.com'), as Python's uuid module gives it.
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives the same key the same id, and different keys different ids', () => {
    const key = 'subscription.expiring_soon:0b6f3d4e-1c2a-4f7b-9a1e-2d3c4b5a6f70:2027-01-01T00:00:00.000Z';
    expect(uuidFromKey(key)).toBe(uuidFromKey(key));
    expect(isUuid(uuidFromKey(key))).toBe(true);
    expect(uuidFromKey(key)).not.toBe(uuidFromKey(key.replace('2027', '2028')));
  });

  it('keeps UUIDs as they are and maps other keys within the tenant', () => {
    const tenantA = '11111111-1111-4111-8111-111111111111';
    const tenantB = '22222222-2222-4222-8222-222222222222';
    expect(eventIdFor(tenantA, accepted.id.toUpperCase())).toBe(accepted.id);
    expect(eventIdFor(tenantA, 'stripe:evt_1')).toBe(eventIdFor(tenantA, 'stripe:evt_1'));
    expect(eventIdFor(tenantA, 'stripe:evt_1')).not.toBe(eventIdFor(tenantB, 'stripe:evt_1'));
  });
});
