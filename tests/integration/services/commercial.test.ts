/**
 * The commercial services (CRM, sales, billing, licensing, deployment), each suite in commercial/ with a
 * database of its own (startCommercialHarness). They share one test file because Jest loads the ORM's and
 * the services' modules anew for every test file (seconds of CPU each); one suite alone:
 * `npm run jest -- tests/integration/services/commercial.test.ts -t '<its describe>'`.
 */
import './commercial/billing-payments.js';
import './commercial/billing-renewals.js';
import './commercial/billing-subscriptions.js';
import './commercial/compensations.js';
import './commercial/crm-sales.js';
import './commercial/customer.js';
import './commercial/demo-data.js';
import './commercial/deployment.js';
import './commercial/license-partner.js';
import './commercial/rules.js';
