import { MAKEUP_WORKDAYS, PUBLIC_HOLIDAYS, SPRING_FESTIVAL_LULL_DAYS } from './calendar.js';
import { sqlDate } from './sql.js';

function dateSet(dates: readonly string[]): string {
  return `(${dates.map(sqlDate).join(', ')})`;
}

/**
 * Macros every generator may use. Randomness is a hash of a row key and a salt, so the same
 * query always yields the same values: `rnd(k, salt)` is uniform in [0, 1), `gauss(k, salt)`
 * approximately standard normal.
 */
export const GENERATION_MACROS: readonly string[] = [
  `CREATE MACRO rnd(k, salt) AS (hash(k, salt) % 1000003)::DOUBLE / 1000003.0`,
  `CREATE MACRO gauss(k, salt) AS (rnd(k, salt) + rnd(k, salt + 7919) + rnd(k, salt + 15887) - 1.5) * 2.0`,
  `CREATE MACRO is_holiday(d) AS d::DATE IN ${dateSet(PUBLIC_HOLIDAYS)}`,
  `CREATE MACRO is_workday(d) AS (isodow(d::DATE) <= 5 AND NOT is_holiday(d)) OR d::DATE IN ${dateSet(MAKEUP_WORKDAYS)}`,
  `CREATE MACRO is_spring_festival_lull(d) AS d::DATE IN ${dateSet(SPRING_FESTIVAL_LULL_DAYS)}`,
];
