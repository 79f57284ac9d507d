/** A column of a dataset version's schema (DuckDB type names). */
export interface SchemaColumn {
  name: string;
  type: string;
}

export interface SchemaChanges {
  added: SchemaColumn[];
  removed: SchemaColumn[];
  retyped: { name: string; from: string; to: string }[];
}

/** What changed between two versions' schemas; column order is not a change. */
export function diffSchemas(previous: readonly SchemaColumn[], next: readonly SchemaColumn[]): SchemaChanges {
  const before = new Map(previous.map((column) => [column.name, column.type]));
  const after = new Map(next.map((column) => [column.name, column.type]));
  return {
    added: next.filter((column) => !before.has(column.name)),
    removed: previous.filter((column) => !after.has(column.name)),
    retyped: next
      .filter((column) => before.has(column.name) && before.get(column.name) !== column.type)
      .map((column) => ({ name: column.name, from: before.get(column.name) as string, to: column.type })),
  };
}

export function hasSchemaChanges(changes: SchemaChanges): boolean {
  return changes.added.length + changes.removed.length + changes.retyped.length > 0;
}
