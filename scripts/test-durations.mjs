// Writes tests/helpers/test-durations.json from a jest log (a CI log will do): what each test file took,
// for the sequencer to start the longest first on a fresh clone. Usage: node scripts/test-durations.mjs ci.log
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const log = readFileSync(process.argv[2] ?? 0, 'utf8');
const seconds = {};
// Jest prints the time of a file that took 5 s or more: "PASS tests/a.test.ts (12.3 s)".
for (const [, file, time] of log.matchAll(/^(?:PASS|FAIL) (tests\/\S+\.test\.ts) \((\d+(?:\.\d+)?) s\)/gm)) {
  seconds[file] = Math.round(Number(time));
}
const sorted = Object.fromEntries(Object.entries(seconds).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
const target = path.join(path.dirname(fileURLToPath(import.meta.url)), '../tests/helpers/test-durations.json');
writeFileSync(target, `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`${Object.keys(sorted).length} files of 5 s or more written to ${path.relative(process.cwd(), target)}`);
