import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** A temporary directory for Parquet fixtures, outputs and the sandbox's work folder. */
export class TempDir {
  private constructor(readonly root: string) {}

  static async create(prefix = 'civic-derive-test-'): Promise<TempDir> {
    return new TempDir(await mkdtemp(path.join(os.tmpdir(), prefix)));
  }

  path(name: string): string {
    return path.join(this.root, name);
  }

  get workDir(): string {
    return path.join(this.root, 'work');
  }

  async dispose(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}

/** Runs SQL in a plain, throwaway DuckDB (fixture writing and reading only). */
export async function duck<T = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<T[]> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '256MB' });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql, values as never);
    return reader.getRowObjectsJS() as T[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Writes the rows of a SELECT to a Parquet file. */
export async function writeParquet(filePath: string, select: string): Promise<string> {
  await duck(`COPY (${select}) TO '${filePath.replaceAll("'", "''")}' (FORMAT parquet)`);
  return filePath;
}

/**
 * Two small related inputs: trips (with a personal phone column and a rider id to pseudonymize)
 * and zones.
 */
export async function tripFixtures(dir: TempDir, rows = 200): Promise<{ trips: string; zones: string }> {
  const trips = await writeParquet(
    dir.path('trips.parquet'),
    `SELECT range AS trip_id, range % 5 AS zone_id, CAST((range % 37) * 1.5 AS DOUBLE) AS fare,
            TIMESTAMP '2024-03-01 00:00:00' + INTERVAL (range * 7) MINUTE AS started_at,
            CASE WHEN range % 23 = 0 THEN NULL ELSE 'rider-' || (range % 17) END AS rider_id, '+86 138 0000 ' || lpad(CAST(range AS VARCHAR), 4, '0') AS phone
     FROM range(${rows})`,
  );
  const zones = await writeParquet(
    dir.path('zones.parquet'),
    `SELECT * FROM (VALUES (0, '东城', 'north'), (1, '西城', 'north'), (2, '朝阳', 'east'), (3, '海淀', 'west'), (4, '丰台', 'south')) z(zone_id, zone_name, district)`,
  );
  return { trips, zones };
}

export const TRIP_COLUMNS = [
  { name: 'trip_id' },
  { name: 'zone_id' },
  { name: 'fare' },
  { name: 'started_at' },
  { name: 'rider_id', pseudonym: true },
  { name: 'phone', hidden: true },
];
export const ZONE_COLUMNS = [{ name: 'zone_id' }, { name: 'zone_name' }, { name: 'district' }];
