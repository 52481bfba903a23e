/**
 * People's accounts: users, sessions, invitations, the README's authentication commands and the audit log.
 * Each suite (a file here) starts its own server on a database of its own. They share one test file because
 * Jest loads the server's modules anew for every test file (seconds of CPU each). One suite alone: `npm run
 * jest -- tests/integration/people/accounts.test.ts -t '<its describe>'`.
 */
import './users.js';
import './sessions.js';
import './welcome-invitation.js';
import './readme-authentication.js';
import './audit-log.js';
