/** Public holidays and make-up working days of mainland China, 2023–2024 (State Council notices). */

const HOLIDAY_RANGES: readonly (readonly [string, string])[] = [
  ['2023-01-01', '2023-01-02'],
  ['2023-01-21', '2023-01-27'],
  ['2023-04-05', '2023-04-05'],
  ['2023-04-29', '2023-05-03'],
  ['2023-06-22', '2023-06-24'],
  ['2023-09-29', '2023-10-06'],
  ['2024-01-01', '2024-01-01'],
  ['2024-02-10', '2024-02-17'],
  ['2024-04-04', '2024-04-06'],
  ['2024-05-01', '2024-05-05'],
  ['2024-06-08', '2024-06-10'],
  ['2024-09-15', '2024-09-17'],
  ['2024-10-01', '2024-10-07'],
];

/** Weekend days that are working days in exchange for a holiday (调休). */
export const MAKEUP_WORKDAYS: readonly string[] = [
  '2023-01-28', '2023-01-29', '2023-04-23', '2023-05-06', '2023-06-25', '2023-10-07', '2023-10-08',
  '2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12',
];

/** Weeks around the Spring Festival when many residents have left the city. */
const SPRING_FESTIVAL_LULLS: readonly (readonly [string, string])[] = [
  ['2023-01-14', '2023-02-05'],
  ['2024-02-03', '2024-02-25'],
];

/** Every ISO date from `start` to `end`, both included. */
export function isoDatesBetween(start: string, end: string): string[] {
  const dates: string[] = [];
  for (let day = Date.parse(`${start}T00:00:00Z`); day <= Date.parse(`${end}T00:00:00Z`); day += 86_400_000) {
    dates.push(new Date(day).toISOString().slice(0, 10));
  }
  return dates;
}

export const PUBLIC_HOLIDAYS: readonly string[] = HOLIDAY_RANGES.flatMap(([start, end]) => isoDatesBetween(start, end));
export const SPRING_FESTIVAL_LULL_DAYS: readonly string[] = SPRING_FESTIVAL_LULLS.flatMap(([start, end]) => isoDatesBetween(start, end));
