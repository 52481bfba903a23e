export default async function globalTeardown() {
  const teardown = globalThis.__switchyardTestTeardown ?? [];
  for (const stop of teardown.reverse()) await stop();
}
