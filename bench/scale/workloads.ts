import { z } from 'zod';
import type { JsonObject } from '../../src/entities/json.js';
import { defineServiceMethod, type ServiceMethod } from '../../src/services/registry.js';

/**
 * What bench:scale runs: its service methods (registered in every bench process, as a deployment
 * registers its services everywhere) and its workflow definitions. Shared by the coordinator, which
 * saves the workflows, and the API and worker processes, which run them.
 */

export const STEPS = 6;
/** The event the `on_ping` workflow's trigger names. */
export const EVENT_NAME = 'bench.pinged';
/** Local effects land here (created with the template database). */
export const EFFECTS_TABLE_SQL =
  'create table bench_effects (idempotency_key text primary key, label text not null, created_at timestamptz not null default now())';

/** `bench.noop`: answers its input (bench:engine's steps too). */
export const noop = defineServiceMethod({
  service: 'bench',
  method: 'noop',
  description: 'Does nothing.',
  effects: 'none',
  input: z.object({ i: z.number() }),
  async run(_ctx, input) {
    return { i: input.i };
  },
});

/**
 * CPU work in the worker: a busy loop, so a second process on a second core is the only way to do more.
 * It counts the process's CPU time, not the clock's: on a shared machine a descheduled loop would
 * otherwise burn less than it says.
 */
const burn = defineServiceMethod({
  service: 'bench',
  method: 'burn',
  description: 'Busy-loops for `ms` milliseconds of CPU time.',
  effects: 'none',
  input: z.object({ ms: z.number().min(0).max(1_000) }),
  async run(_ctx, input) {
    const start = process.cpuUsage();
    let spins = 0;
    for (;;) {
      for (let i = 0; i < 1_000; i += 1) spins += 1;
      const used = process.cpuUsage(start);
      if ((used.user + used.system) / 1000 >= input.ms) return { spins };
    }
  },
});

/** A local effect: one row in the step's own transaction (the "local-effect service calls"). */
const record = defineServiceMethod({
  service: 'bench',
  method: 'record',
  description: 'Records one effect row.',
  effects: 'local',
  input: z.object({ label: z.string() }),
  async run(ctx, input) {
    await ctx.em
      .getConnection()
      .execute(
        'insert into bench_effects (idempotency_key, label) values (?, ?)',
        [ctx.idempotencyKey, input.label],
        'run',
        ctx.em.getTransactionContext(),
      );
    return { recorded: input.label };
  },
});

export const BENCH_SERVICES: ServiceMethod[] = [noop as ServiceMethod, burn as ServiceMethod, record as ServiceMethod];

const call = (name: string, method: string, params: JsonObject) => ({ name, type: 'service_call', service: 'bench', method, params });

/** The workflows, by name: each a JSON definition as an API user would save it. */
export const WORKFLOWS: Record<string, JsonObject> = {
  noop6: { steps: Array.from({ length: STEPS }, (_, i) => call(`s${i + 1}`, 'noop', { i })) },
  cpu6: { steps: Array.from({ length: STEPS }, (_, i) => call(`s${i + 1}`, 'burn', { ms: 10 })) },
  // The measurement: local-effect calls, a transform and a 1 s wait (slept through, under inProcessWaitMs).
  mixed6: {
    steps: [
      call('s1', 'record', { label: 'a' }),
      call('s2', 'record', { label: 'b' }),
      { name: 's3', type: 'transform', expression: '{ "ok": true }' },
      { name: 's4', type: 'wait', seconds: 1 },
      call('s5', 'record', { label: 'c' }),
      call('s6', 'record', { label: 'd' }),
    ],
  },
  // Started by every `bench.pinged` event through the dispatcher.
  on_ping: {
    triggers: [{ event: EVENT_NAME, context: '{ "seq": event.seq }' }],
    steps: Array.from({ length: STEPS }, (_, i) => call(`s${i + 1}`, 'noop', { i })),
  },
};
