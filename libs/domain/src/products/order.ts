/** Code-point order of ids: the same everywhere, unlike localeCompare. */
export const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
