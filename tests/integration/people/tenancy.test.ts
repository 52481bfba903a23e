/**
 * Tenants: their management, suspension (and its race with running work) and the engine's audit of them. Each
 * suite (a file here) has its own server or engine on a database of its own. They share one test file because
 * Jest loads the server's modules anew for every test file (seconds of CPU each). One suite alone: `npm run
 * jest -- tests/integration/people/tenancy.test.ts -t '<its describe>'`.
 */
import './tenants.js';
import './suspended-tenant-runs.js';
import './suspension-race.js';
import './engine-audit.js';
