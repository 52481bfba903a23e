/** What the global setup hands to each test file, through the environment. */
export const TEST_ENV = {
  postgresUrl: 'SWITCHYARD_TEST_POSTGRES_URL',
  templateDatabase: 'SWITCHYARD_TEST_TEMPLATE_DB',
  redisUrl: 'SWITCHYARD_TEST_REDIS_URL',
  /** The shared headless Chromium's Playwright endpoint; unset where there is no Chromium. */
  browserEndpoint: 'SWITCHYARD_TEST_BROWSER_WS',
} as const;

export function testEnv(name: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[name]];
  if (!value) throw new Error(`${TEST_ENV[name]} is not set: run the tests through jest (npm test), whose global setup starts the servers`);
  return value;
}
