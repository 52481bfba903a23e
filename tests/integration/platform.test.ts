/**
 * The server's platform: pub/sub that survives Redis going away, transient database errors, migrations,
 * workflows and the domain through GraphQL, the console's serving and inbound webhooks. Each suite (a file
 * here or in a folder beside) has its own server or database. They share one test file because Jest loads
 * the server's modules anew for every test file (seconds of CPU each). One suite alone:
 * `npm run jest -- tests/integration/platform.test.ts -t '<its describe>'`.
 */
import './pubsub-resilience.js';
import './transient-errors.js';
import './migrations.js';
import './workflows-api.js';
import './console/serving.js';
import './domain-api/installations.js';
import './domain-api/leads.js';
import './domain-api/quotes.js';
import './webhooks/intake.js';
