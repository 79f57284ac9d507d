/** How to call the data API, as shown to a buyer: the same query in curl, Python and JavaScript. */
export interface SnippetInput {
  /** The API's origin as the browser sees it (the web app proxies /api). */
  origin: string;
  /** The product's slug (or id). */
  product: string;
  /** A column to show a filter on, if the version has one. */
  column?: { name: string; example: string | number | null };
}

export type SnippetLanguage = 'curl' | 'python' | 'javascript';
export const SNIPPET_LANGUAGES: SnippetLanguage[] = ['curl', 'python', 'javascript'];

const KEY_PLACEHOLDER = 'cdm_xxxxxxxx_your-api-key';

function filterOf(input: SnippetInput): { name: string; value: string } | null {
  if (!input.column || input.column.example === null || input.column.example === undefined) return null;
  return { name: input.column.name, value: `eq.${String(input.column.example)}` };
}

/** The three snippets; each asks for 100 rows and follows `nextCursor` to the end. */
export function dataApiSnippets(input: SnippetInput): Record<SnippetLanguage, string> {
  const base = `${input.origin.replace(/\/$/, '')}/api/v1/data/${encodeURIComponent(input.product)}/rows`;
  const filter = filterOf(input);
  const params = new URLSearchParams({ ...(filter ? { [filter.name]: filter.value } : {}), limit: '100' });
  const curl = [`curl -sS -G '${base}' \\`, `  -H 'X-API-Key: ${KEY_PLACEHOLDER}' \\`, ...(filter ? [`  --data-urlencode '${filter.name}=${filter.value.replaceAll("'", "'\\''")}' \\`] : []), `  --data-urlencode 'limit=100'`].join('\n');
  const python = [
    'import requests',
    '',
    `url = ${JSON.stringify(base)}`,
    `headers = {"X-API-Key": ${JSON.stringify(KEY_PLACEHOLDER)}}`,
    `params = ${JSON.stringify(Object.fromEntries(params.entries()))}`,
    'rows = []',
    'while True:',
    '    page = requests.get(url, headers=headers, params=params, timeout=30)',
    '    page.raise_for_status()',
    '    body = page.json()',
    '    rows.extend(body["rows"])',
    '    if not body["nextCursor"]:',
    '        break',
    '    params["cursor"] = body["nextCursor"]',
    'print(len(rows), "rows")',
  ].join('\n');
  const javascript = [
    `const url = new URL(${JSON.stringify(base)});`,
    ...[...params.entries()].map(([key, value]) => `url.searchParams.set(${JSON.stringify(key)}, ${JSON.stringify(value)});`),
    'const rows = [];',
    'for (;;) {',
    `  const response = await fetch(url, { headers: { 'X-API-Key': ${JSON.stringify(KEY_PLACEHOLDER)} } });`,
    '  if (!response.ok) throw new Error((await response.json()).error.message);',
    '  const body = await response.json();',
    '  rows.push(...body.rows);',
    '  if (!body.nextCursor) break;',
    "  url.searchParams.set('cursor', body.nextCursor);",
    '}',
    'console.log(rows.length, "rows");',
  ].join('\n');
  return { curl, python, javascript };
}
