/** Jest globalTeardown: drops the run's database (kept when KEEP_TEST_DATABASE=1, for debugging). */
export default async function teardown(): Promise<void> {
  if (process.env.KEEP_TEST_DATABASE === '1') return;
  await globalThis.__civicTestDatabase?.dispose();
}
