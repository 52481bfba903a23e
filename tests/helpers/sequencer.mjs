// Jest loads the sequencer outside its transform, so this file is plain JavaScript.
import Sequencer from '@jest/test-sequencer';

/**
 * With two workers, a long file that starts last runs alone at the end while the other worker idles.
 * Jest orders by the durations it cached on earlier runs, but a fresh clone (CI) has none and falls
 * back to file size, which says little here: the longest files are short ones that start processes,
 * PostgreSQL clusters or a browser. So on a cold cache these start first, longest kinds first.
 */
const STARTS_FIRST = [/tests\/e2e\/(faults|startup)\.test\.ts$/, /tests\/browser\//, /tests\/e2e\//, /tests\/integration\/api\/readme-/];

function rank(path) {
  const index = STARTS_FIRST.findIndex((pattern) => pattern.test(path));
  return index === -1 ? STARTS_FIRST.length : index;
}

export default class LongFilesFirst extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    if (ordered.some((test) => test.duration != null)) return ordered;
    // Array.prototype.sort is stable: within a rank, Jest's own order stands.
    return [...ordered].sort((a, b) => rank(a.path) - rank(b.path));
  }
}
