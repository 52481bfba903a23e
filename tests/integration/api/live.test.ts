/**
 * The API's live parts: progress (in process, over Redis, per step, the stream), workflow stats pushed and
 * schedules. Each suite (a file here) starts its own server on a database of its own. They share one test
 * file because Jest loads the server's modules anew for every test file (seconds of CPU each). One suite
 * alone: `npm run jest -- tests/integration/api/live.test.ts -t '<its describe>'`.
 */
import './progress.js';
import './progress-redis.js';
import './progress-step.js';
import './progress-stream.js';
import './workflow-stats-changed.js';
import './schedules.js';
