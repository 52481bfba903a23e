// Jest loads the sequencer outside its transform, so this file is plain JavaScript.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Sequencer from '@jest/test-sequencer';

/**
 * With two workers, a long file that starts last runs alone at the end while the other worker idles;
 * started longest first, the files end together (longest-processing-time order). Jest knows a file's
 * duration only from an earlier run on this machine, and a fresh clone (CI) has none: it would fall back
 * to file size, which says little here (the longest files are short ones that start processes, PostgreSQL
 * clusters or a browser). So a file's cost is Jest's own figure when it has one, else what it took in
 * the last CI (test-durations.json, seconds, files of 5 s or more: `node scripts/test-durations.mjs
 * <ci log>` refreshes it), else a guess by kind for a file that was shorter or is new.
 */
const KNOWN_SECONDS = JSON.parse(readFileSync(new URL('./test-durations.json', import.meta.url), 'utf8'));
const GUESS_SECONDS = [
  [/^tests\/browser\//, 20],
  [/^tests\/e2e\//, 10],
  [/^tests\/integration\//, 4],
];

function estimatedMs(test) {
  if (test.duration != null) return test.duration;
  const relative = path.relative(test.context.config.rootDir, test.path).split(path.sep).join('/');
  const seconds = KNOWN_SECONDS[relative] ?? GUESS_SECONDS.find(([pattern]) => pattern.test(relative))?.[1] ?? 1;
  return seconds * 1000;
}

export default class LongestFirst extends Sequencer {
  sort(tests) {
    // super.sort fills in test.duration from Jest's cache where there is one.
    const ordered = super.sort(tests);
    const cost = new Map(ordered.map((test) => [test, estimatedMs(test)]));
    // A file that failed last time still goes first, as Jest does; then the longest.
    return [...ordered].sort((a, b) => Number(this.hasFailed(b)) - Number(this.hasFailed(a)) || cost.get(b) - cost.get(a));
  }
}
