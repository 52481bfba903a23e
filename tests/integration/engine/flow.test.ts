/**
 * The engine's flow: approvals, available actions, flow control (and the README's examples of both), claim
 * packing and tenant limits. Each suite (a file here) has its own engine or server on a database of its own.
 * They share one test file because Jest loads the server's modules anew for every test file (seconds of CPU
 * each). One suite alone: `npm run jest -- tests/integration/engine/flow.test.ts -t '<its describe>'`.
 */
import './approval.js';
import './approval-readme.js';
import './available-actions.js';
import './flow-control.js';
import './flow-control-readme.js';
import './claim-packing.js';
import './tenant-limit-news.js';
