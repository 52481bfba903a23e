import { parseWorkflowDefinition, type ParseContext } from '../../../src/engine/definition/parse.js';
import type { DefinitionIssue } from '../../../src/engine/definition/step-types.js';
import { testServices } from './test-services.js';

/** `triggers` and `schedules` of a workflow definition: each problem at its JSON path. */

const steps = [{ name: 'a', type: 'transform', expression: '1' }];
const ctx: ParseContext = { services: testServices };

function issuesOf(extra: Record<string, unknown>): DefinitionIssue[] {
  const result = parseWorkflowDefinition({ steps, ...extra }, ctx);
  return result.ok ? [] : result.issues;
}

const schedule = (extra: Record<string, unknown> = {}) => ({ name: 'nightly', cron: '0 2 * * *', ...extra });

describe('parseWorkflowDefinition: triggers and schedules', () => {
  // Each definition has exactly one problem, reported at this path with a message containing this text.
  const rows: [string, Record<string, unknown>, string, string][] = [
    // triggers
    ['triggers not an array', { triggers: { event: 'quote.accepted' } }, '$.triggers', 'must be an array of triggers'],
    ['trigger not an object', { triggers: ['quote.accepted'] }, '$.triggers[0]', 'must be an object'],
    ['trigger without event', { triggers: [{ filter: 'true' }] }, '$.triggers[0].event', 'missing required property "event" of a trigger'],
    ['event name not a string', { triggers: [{ event: 7 }] }, '$.triggers[0].event', 'must be a string'],
    ['event name with no dot', { triggers: [{ event: 'accepted' }] }, '$.triggers[0].event', 'invalid event name "accepted"'],
    ['event name in upper case', { triggers: [{ event: 'Quote.Accepted' }] }, '$.triggers[0].event', 'lower-case words joined by dots'],
    ['event name with a space', { triggers: [{ event: 'quote. accepted' }] }, '$.triggers[0].event', 'invalid event name'],
    ['event name too long', { triggers: [{ event: `a.${'b'.repeat(100)}` }] }, '$.triggers[0].event', 'at most 100 characters'],
    ['filter not JSONata', { triggers: [{ event: 'quote.accepted', filter: 'event.kind =' }] }, '$.triggers[0].filter', 'invalid JSONata'],
    ['filter not a string', { triggers: [{ event: 'quote.accepted', filter: true }] }, '$.triggers[0].filter', 'must be a string'],
    [
      'context not JSONata',
      { triggers: [{ event: 'quote.accepted' }, { event: 'lead.qualified', context: '{ "a": ' }] },
      '$.triggers[1].context',
      'invalid JSONata',
    ],
    [
      'context with an unsafe regex',
      { triggers: [{ event: 'quote.accepted', context: '$match(event.s, /(a+)+$/)' }] },
      '$.triggers[0].context',
      'repeats a group that itself repeats',
    ],
    [
      'trigger typo',
      { triggers: [{ event: 'quote.accepted', filer: 'true' }] },
      '$.triggers[0].filer',
      'unknown property "filer" of a trigger (did you mean "filter"?)',
    ],
    // schedules
    ['schedules not an array', { schedules: schedule() }, '$.schedules', 'must be an array of schedules'],
    ['schedule not an object', { schedules: ['0 2 * * *'] }, '$.schedules[0]', 'must be an object'],
    [
      'schedule without name',
      { schedules: [{ cron: '0 2 * * *' }] },
      '$.schedules[0].name',
      'missing required property "name" of a schedule',
    ],
    [
      'schedule with a bad name',
      { schedules: [schedule({ name: 'every night' })] },
      '$.schedules[0].name',
      'invalid schedule name "every night"',
    ],
    [
      'schedule without cron',
      { schedules: [{ name: 'nightly' }] },
      '$.schedules[0].cron',
      'missing required property "cron" of a schedule',
    ],
    ['cron out of range', { schedules: [schedule({ cron: '61 2 * * *' })] }, '$.schedules[0].cron', 'invalid cron expression "61 2 * * *"'],
    ['cron with four fields', { schedules: [schedule({ cron: '0 2 * *' })] }, '$.schedules[0].cron', 'has 5 fields'],
    ['cron with seven fields', { schedules: [schedule({ cron: '0 0 2 * * * 2026' })] }, '$.schedules[0].cron', 'got 7'],
    ['cron empty', { schedules: [schedule({ cron: '  ' })] }, '$.schedules[0].cron', 'got 0'],
    ['cron on a day no month has', { schedules: [schedule({ cron: '0 0 31 2 *' })] }, '$.schedules[0].cron', 'invalid cron expression'],
    [
      'cron with an unknown macro',
      { schedules: [schedule({ cron: '@fortnightly' })] },
      '$.schedules[0].cron',
      'unknown cron macro "@fortnightly"',
    ],
    ['cron not a string', { schedules: [schedule({ cron: 5 })] }, '$.schedules[0].cron', 'must be a string'],
    [
      'unknown time zone',
      { schedules: [schedule({ timezone: 'Mars/Olympus_Mons' })] },
      '$.schedules[0].timezone',
      'unknown time zone "Mars/Olympus_Mons"',
    ],
    ['offset instead of a zone', { schedules: [schedule({ timezone: '+02:00' })] }, '$.schedules[0].timezone', 'use an IANA name'],
    ['input not an object', { schedules: [schedule({ input: [1] })] }, '$.schedules[0].input', 'must be an object'],
    ['catchUp unknown', { schedules: [schedule({ catchUp: 'all' })] }, '$.schedules[0].catchUp', 'must be one of skip, once'],
    ['overlap unknown', { schedules: [schedule({ overlap: 'queue' })] }, '$.schedules[0].overlap', 'must be one of allow, skip'],
    [
      'priority out of range',
      { schedules: [schedule({ priority: 1001 })] },
      '$.schedules[0].priority',
      'must be an integer from -1000 to 1000',
    ],
    [
      'priority not an integer',
      { schedules: [schedule({ priority: 1.5 })] },
      '$.schedules[0].priority',
      'must be an integer from -1000 to 1000',
    ],
    [
      'duplicate schedule name',
      { schedules: [schedule(), schedule({ cron: '0 3 * * *' })] },
      '$.schedules[1].name',
      'duplicate schedule name "nightly" (first used at $.schedules[0])',
    ],
    [
      'schedule typo',
      { schedules: [schedule({ timeZone: 'UTC' })] },
      '$.schedules[0].timeZone',
      'unknown property "timeZone" of a schedule (did you mean "timezone"?)',
    ],
    [
      "input breaking the workflow's input schema",
      { input: { type: 'object', required: ['region'] }, schedules: [schedule({ input: { other: 1 } })] },
      '$.schedules[0].input',
      "does not match the workflow's input schema: $: must have required property 'region'",
    ],
  ];

  it.each(rows)('%s', (_label, extra, path, message) => {
    expect(issuesOf(extra)).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  it('accepts the built-in shapes: filter, context mapping, zones, six fields, macros, policies', () => {
    const issues = issuesOf({
      input: { type: 'object', properties: { region: { type: 'string' } } },
      triggers: [
        { event: 'quote.accepted', filter: "event.kind = 'new'", context: '{ "quote_id": event.quoteId }' },
        { event: 'ticket.installation_approved' },
      ],
      schedules: [
        { name: 'nightly', cron: '0 2 * * *', timezone: 'Europe/Berlin', input: { region: 'eu' }, catchUp: 'once', overlap: 'skip' },
        { name: 'every_ten_seconds', cron: '*/10 * * * * *' },
        { name: 'daily', cron: '@daily', timezone: 'UTC', catchUp: 'skip', overlap: 'allow' },
      ],
    });
    expect(issues).toEqual([]);
  });

  it('reports every problem of every trigger and schedule together', () => {
    const issues = issuesOf({
      triggers: [{ event: 'Bad' }, { event: 'ok.event', filter: '(' }],
      schedules: [schedule({ cron: 'x' }), schedule({ timezone: 'Nowhere/City' })],
    });
    expect(issues.map((issue) => issue.path).sort()).toEqual(
      ['$.triggers[0].event', '$.triggers[1].filter', '$.schedules[0].cron', '$.schedules[1].name', '$.schedules[1].timezone'].sort(),
    );
  });
});
