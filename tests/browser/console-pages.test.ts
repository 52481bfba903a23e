/**
 * The console's other pages, each suite with its own server and database (tests/browser/suites/). They
 * share one test file because each file pays Jest's loading of the server's and Playwright's modules
 * anew (several seconds of CPU a file); one suite alone: `npm run jest -- tests/browser/console-pages.test.ts -t '<its describe>'`.
 */
import './suites/account-links.js';
import './suites/approvals.js';
import './suites/events.js';
import './suites/schedules.js';
import './suites/scale.js';
