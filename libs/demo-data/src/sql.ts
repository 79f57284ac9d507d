/** Small helpers that turn TypeScript values into DuckDB SQL literals and expressions. */

export type SqlValue = string | number | boolean | null;

export function sqlLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
  return String(value);
}

/** A SQL identifier, always quoted (column names are Chinese or contain symbols). */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export type SqlListItem = SqlValue | readonly SqlListItem[];

/** `[v1, v2, …]`: a DuckDB list literal (lists may nest), indexed from 1. */
export function sqlList(values: readonly SqlListItem[]): string {
  return `[${values.map((value) => (Array.isArray(value) ? sqlList(value) : sqlLiteral(value as SqlValue))).join(', ')}]`;
}

/** `(VALUES (…), (…)) AS alias(col, …)`: a small inline table. */
export function sqlValues(alias: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): string {
  const body = rows.map((row) => `(${row.map(sqlLiteral).join(', ')})`).join(',\n    ');
  return `(VALUES\n    ${body}) AS ${alias}(${columns.join(', ')})`;
}

/** `CASE` picking one of `choices` by weight, given `u` uniform in [0, 1). */
export function sqlWeightedChoice(u: string, choices: readonly (readonly [SqlValue, number])[]): string {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  let cumulative = 0;
  const branches = choices.slice(0, -1).map(([value, weight]) => {
    cumulative += weight;
    return `WHEN ${u} < ${(cumulative / total).toFixed(6)} THEN ${sqlLiteral(value)}`;
  });
  return `CASE ${branches.join(' ')} ELSE ${sqlLiteral(choices[choices.length - 1][0])} END`;
}

/** Piecewise-linear interpolation of `x` through the points (xs[i], ys[i]), clamped at both ends. */
export function sqlPiecewiseLinear(x: string, xs: readonly number[], ys: readonly number[]): string {
  const branches = xs.slice(1).map((high, i) => {
    const low = xs[i];
    const slope = (ys[i + 1] - ys[i]) / (high - low);
    return `WHEN ${x} <= ${high} THEN ${ys[i]}::DOUBLE + ${slope}::DOUBLE * (${x} - ${low})`;
  });
  return `CASE WHEN ${x} <= ${xs[0]} THEN ${ys[0]}::DOUBLE ${branches.join(' ')} ELSE ${ys[ys.length - 1]}::DOUBLE END`;
}

/** `DATE 'YYYY-MM-DD'` */
export function sqlDate(isoDate: string): string {
  return `DATE ${sqlLiteral(isoDate)}`;
}
