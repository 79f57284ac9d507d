/**
 * Regenerates apps/api/openapi.json from the running API (the code is the source of truth),
 * then the web app's types are generated from that file (`pnpm gen:api`).
 */
import { createTestDatabase } from '@civic/db/testing';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot, startPlatform } from '../support/platform.js';
import { canonicalOpenApi } from '../support/openapi.js';

const database = await createTestDatabase('t_openapi');
process.env.DATABASE_URL = database.url;
const platform = await startPlatform();
try {
  const document = await (await fetch(`${platform.baseUrl}/api/openapi.json`)).json();
  const target = path.join(repoRoot, 'apps/api/openapi.json');
  await writeFile(target, canonicalOpenApi(document));
  console.log(`wrote ${path.relative(repoRoot, target)}`);
} finally {
  await platform.close();
  await database.dispose();
}
