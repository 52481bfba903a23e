import { withFields } from '../../src/infra/with-fields.js';

/**
 * `npm run bench:spread`: what building a copy with changed fields costs on this Node, written three
 * ways — the inline spread `{ ...base, field }`, `withFields` (src/infra/with-fields.ts), and a literal
 * that lists every field (the floor). On Node 20 (V8 11.3) the inline spread gives each object a hidden
 * class of its own, which is why the runtime's per-step objects go through withFields.
 */
const ROUNDS = 5;
const PER_ROUND = 300_000;

interface Step {
  key: string;
  name: string;
  type: string;
  sequence: number;
  status: string;
  attempts: number;
  startedAt: Date;
  output?: unknown;
  completedAt?: Date;
}

const running: Step = {
  key: 'charge',
  name: 'charge',
  type: 'service_call',
  sequence: 3,
  status: 'running',
  attempts: 1,
  startedAt: new Date(),
};
const now = new Date();
let kept: unknown;

const ways: Record<string, (i: number) => Step> = {
  'inline { ...base, field }': (i) => ({ ...running, status: 'completed', output: i, completedAt: now }),
  'withFields(base, fields)': (i) => withFields(running, { status: 'completed', output: i, completedAt: now }),
  'literal of every field': (i) => ({
    key: running.key,
    name: running.name,
    type: running.type,
    sequence: running.sequence,
    status: 'completed',
    attempts: running.attempts,
    startedAt: running.startedAt,
    output: i,
    completedAt: now,
  }),
};

function nanosecondsPerObject(build: (i: number) => Step): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < PER_ROUND; i++) kept = build(i);
  return Number(process.hrtime.bigint() - started) / PER_ROUND;
}

console.log(
  `bench:spread — Node ${process.version} (V8 ${process.versions.v8}), ${PER_ROUND.toLocaleString('en-US')} objects per round, median of ${ROUNDS}`,
);
for (const [name, build] of Object.entries(ways)) {
  nanosecondsPerObject(build); // warm-up
  const rounds = Array.from({ length: ROUNDS }, () => nanosecondsPerObject(build)).sort((a, b) => a - b);
  console.log(`  ${name.padEnd(28)} ${rounds[Math.floor(ROUNDS / 2)]!.toFixed(0).padStart(6)} ns per object`);
}
if (kept === undefined) throw new Error('nothing was built');
