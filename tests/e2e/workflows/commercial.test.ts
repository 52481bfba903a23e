/**
 * The commercial built-in workflows end to end: quotes to orders, their rollback, leads, payments (with a
 * fake Stripe) and a retry after compensation. Each suite (a file here) starts its own server on a database
 * of its own. They share one test file because Jest loads the server's modules anew for every test file
 * (seconds of CPU each). One suite alone: `npm run jest -- tests/e2e/workflows/commercial.test.ts -t '<its
 * describe>'`.
 */
import './commercial-customers.js';
import './commercial-orders.js';
import './commercial-failure-rollback.js';
import './lead-to-opportunity.js';
import './payment-processing.js';
import './payment-stripe.js';
import './retry-after-compensation.js';
