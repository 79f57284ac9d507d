import type { DataSource } from 'typeorm';

/** Drops every object of the public schema. For development databases only. */
export async function resetDatabase(dataSource: DataSource): Promise<void> {
  await dataSource.query('DROP SCHEMA public CASCADE');
  await dataSource.query('CREATE SCHEMA public');
}
