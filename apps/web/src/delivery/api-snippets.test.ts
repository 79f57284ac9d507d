import { dataApiSnippets } from './api-snippets';

describe('dataApiSnippets', () => {
  it('writes the same query in curl, Python and JavaScript, with a filter and the cursor loop', () => {
    const snippets = dataApiSnippets({ origin: 'https://data.example.gov/', product: 'road-congestion', column: { name: 'district', example: "O'Brien" } });
    expect(snippets.curl).toBe(
      [
        "curl -sS -G 'https://data.example.gov/api/v1/data/road-congestion/rows' \\",
        "  -H 'X-API-Key: cdm_xxxxxxxx_your-api-key' \\",
        "  --data-urlencode 'district=eq.O'\\''Brien' \\",
        "  --data-urlencode 'limit=100'",
      ].join('\n'),
    );
    expect(snippets.python).toContain('params = {"district":"eq.O\'Brien","limit":"100"}');
    expect(snippets.python).toContain('params["cursor"] = body["nextCursor"]');
    expect(snippets.javascript).toContain('url.searchParams.set("district", "eq.O\'Brien");');
    expect(snippets.javascript).toContain("url.searchParams.set('cursor', body.nextCursor);");
  });

  it('leaves the filter out when there is no example value', () => {
    const snippets = dataApiSnippets({ origin: 'http://localhost:5173', product: 'p', column: { name: 'x', example: null } });
    expect(snippets.curl).not.toContain('eq.');
    expect(snippets.python).toContain('params = {"limit":"100"}');
  });
});
