import type { ValueTransformer } from 'typeorm';

/**
 * PostgreSQL `bigint` arrives as a string (it may exceed 2^53); the counts and sizes stored in
 * these columns stay far below that, so entities read them as numbers. NULL stays NULL.
 */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
