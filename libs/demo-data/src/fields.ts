import { sqlIdentifier } from './sql.js';
import type { DemoColumn } from './types.js';

/** A column of a demo file with the SQL expression that computes it. */
export interface Field extends DemoColumn {
  sql: string;
}

/** The catalog columns (everything but the SQL). */
export function columnsOf(fields: readonly Field[]): DemoColumn[] {
  return fields.map(({ sql: _sql, ...column }) => column);
}

/** `expr AS "name", …` for the fields present in `version`, in file order. */
export function selectFields(fields: readonly Field[], version: number): string {
  return fields
    .filter((field) => (field.addedInVersion ?? 1) <= version)
    .map((field) => `${field.sql} AS ${sqlIdentifier(field.name)}`)
    .join(',\n       ');
}

/** A field whose description in both languages is given as `[zh, en]`. */
export function field(name: string, [descriptionZh, descriptionEn]: readonly [string, string], sql: string, sensitivity: Field['sensitivity'] = 'public'): Field {
  return { name, descriptionZh, descriptionEn, sensitivity, sql };
}
