/**
 * The README's and the docs' examples, run as written, and the seed examples. Each suite (a file here) starts
 * its own server on a database of its own. They share one test file because Jest loads the server's modules
 * anew for every test file (seconds of CPU each). One suite alone: `npm run jest --
 * tests/integration/api/readme.test.ts -t '<its describe>'`.
 */
import './readme-activation.js';
import './readme-payments.js';
import './readme-walkthrough.js';
import './docs-examples.js';
import './seed-examples.js';
