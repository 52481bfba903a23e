/**
 * The run page's features, each suite with its own server and database (tests/browser/suites/). They
 * share one test file because each file pays Jest's loading of the server's and Playwright's modules
 * anew (several seconds of CPU a file); one suite alone: `npm run jest -- tests/browser/run-pages.test.ts -t '<its describe>'`.
 */
import './suites/run-recovery.js';
import './suites/rerun.js';
import './suites/run-timeline.js';
import './suites/saga.js';
import './suites/lineage.js';
import './suites/run-prefetch.js';
