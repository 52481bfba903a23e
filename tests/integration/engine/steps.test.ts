/**
 * The engine running steps: step types, failures, checkpoints, sub-workflow retries, the run log, the run
 * queue, starts recorded together, fencing, lineage, operations and its infrastructure. Each suite (a file here) has its own engine or
 * server on a database of its own. They share one test file because Jest loads the server's modules anew for
 * every test file (seconds of CPU each). One suite alone: `npm run jest --
 * tests/integration/engine/steps.test.ts -t '<its describe>'`.
 */
import './step-types.js';
import './failures.js';
import './checkpoints.js';
import './checkpoint-batch.js';
import './sub-workflow-retry.js';
import './run-log.js';
import './run-queue.js';
import './start-batch.js';
import './first-step-ahead.js';
import './runtime-plans.js';
import './fencing.js';
import './lineage-recorder.js';
import './operations.js';
import './infrastructure.js';
