/**
 * The API's requests: access, a definition's key order, error shape, an execution's preview, payload limits,
 * simulation, step explanations and workflows. Each suite (a file here) starts its own server on a database of its own. They
 * share one test file because Jest loads the server's modules anew for every test file (seconds of CPU each).
 * One suite alone: `npm run jest -- tests/integration/api/core.test.ts -t '<its describe>'`.
 */
import './access.js';
import './definition-order.js';
import './error-shape.js';
import './execution-preview.js';
import './payload-too-large.js';
import './simulate-workflow.js';
import './step-why.js';
import './workflows.js';
