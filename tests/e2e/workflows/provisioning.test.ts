/**
 * The provisioning built-in workflows end to end: business activation, the ISP's ticket to deployment and its
 * rollback, lineage, a fresh server's first start and a built-in upgrade. Each suite (a file here) starts its
 * own server on a database of its own. They share one test file because Jest loads the server's modules anew
 * for every test file (seconds of CPU each). One suite alone: `npm run jest --
 * tests/e2e/workflows/provisioning.test.ts -t '<its describe>'`.
 */
import './business-activation.js';
import './isp-failure-rollback.js';
import './isp-ticket-to-deployment.js';
import './lineage.js';
import './first-start.js';
import './built-in-upgrade.js';
