/**
 * @jest-environment node
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';

// The API's schema is generated from its code (an end-to-end test keeps openapi.json current);
// this keeps the web's types generated from that schema. Fix: `pnpm --filter @civic/web gen:api`.
describe('generated API types', () => {
  it('match apps/api/openapi.json', async () => {
    const webRoot = path.resolve(process.cwd());
    const schemaPath = path.join(webRoot, '../api/openapi.json');
    const generated = astToString(await openapiTS(JSON.parse(readFileSync(schemaPath, 'utf8'))));
    const committed = readFileSync(path.join(webRoot, 'src/api/schema.d.ts'), 'utf8');
    const body = (text: string) => text.slice(text.indexOf('export '));
    expect(body(committed)).toBe(body(generated));
  });
});
