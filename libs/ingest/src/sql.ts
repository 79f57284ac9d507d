/** A SQL string literal. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier. */
export function identifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A DuckDB STRUCT literal mapping names to types, as `read_csv(columns=…)` expects. */
export function columnsLiteral(columns: { name: string; type: string }[]): string {
  return `{${columns.map((column) => `${literal(column.name)}: ${literal(column.type)}`).join(', ')}}`;
}
