/**
 * The operations services (network, RADIUS, GenieACS, ticketing, notifications, ...), each suite in
 * operations/ with a database of its own (setUpOperations). They share one test file because Jest loads the
 * ORM's and the services' modules anew for every test file (seconds of CPU each); one suite alone:
 * `npm run jest -- tests/integration/services/operations.test.ts -t '<its describe>'`. The outbox
 * dispatcher's tests stay a file of their own (operations/outbox-dispatcher.test.ts).
 */
import './operations/billing-activate.js';
import './operations/communications.js';
import './operations/demo-data.js';
import './operations/genieacs-deprovision.js';
import './operations/genieacs.js';
import './operations/installation-rollback.js';
import './operations/netbox-ipam.js';
import './operations/network.js';
import './operations/notifications.js';
import './operations/pure-helpers.js';
import './operations/radius.js';
import './operations/site-survey.js';
import './operations/ticketing.js';
