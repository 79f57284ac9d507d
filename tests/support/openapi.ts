/** Stable text form of an OpenAPI document, so the committed file diffs cleanly. */
export function canonicalOpenApi(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
