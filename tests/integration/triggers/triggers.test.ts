/**
 * Triggers: their API, the built-in ones, events, schedules, lookback and waits. Each suite (a file here) has
 * its own server or engine on a database of its own. They share one test file because Jest loads the server's
 * modules anew for every test file (seconds of CPU each). One suite alone: `npm run jest --
 * tests/integration/triggers/triggers.test.ts -t '<its describe>'`.
 */
import './api.js';
import './built-in.js';
import './events.js';
import './schedules.js';
import './lookback.js';
import './wait-alternatives.js';
import './wait-since-run.js';
