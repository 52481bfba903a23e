/**
 * Executions over the API: a run's life, the list, and how reads batch. Each suite (a file beside) starts its
 * own server on a database of its own; one test file, because Jest loads the server's modules anew for every
 * test file. One suite alone: `npm run jest -- tests/integration/api/executions.test.ts -t '<its describe>'`.
 */
import './executions-runs.js';
import './executions-list.js';
import './executions-reads.js';
