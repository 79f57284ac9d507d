import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { QueryColumn } from '@civic/domain';
import { canaryCount, traceLeak, writeFingerprintedFile } from './fingerprint.js';

describe('licensee fingerprints', () => {
  let dir: string;
  let source: string;
  const key = randomBytes(32);
  const schema: QueryColumn[] = [
    { name: 'district', type: 'VARCHAR' },
    { name: 'month', type: 'DATE' },
    { name: 'visits', type: 'BIGINT' },
    { name: 'avg_cost', type: 'DECIMAL(10,2)' },
  ];
  const version = () => ({ source, schema, versionId: '3f2a4b1c-0000-4000-8000-000000000001', key });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'civic-fingerprint-'));
    source = path.join(dir, 'v1.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(
      `COPY (SELECT 'district ' || (i % 10) AS district, DATE '2026-01-01' + INTERVAL (i % 12) MONTH AS month, (i * 7) % 1000 AS visits, ((i * 13) % 500 / 4)::DECIMAL(10,2) AS avg_cost FROM range(0, 12000) t(i)) TO '${source}' (FORMAT parquet)`,
    );
    connection.closeSync();
    instance.closeSync();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('gives each licence its own canaries and names the licence that leaked a Parquet or CSV copy', async () => {
    const licences = ['aaaaaaaa-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000003'];
    const parquet = path.join(dir, 'b.parquet');
    const csv = path.join(dir, 'c.csv');
    const written = await writeFingerprintedFile({ ...version(), licenseId: licences[1]! }, parquet, 'parquet', { civic_licence: licences[1]! });
    expect(written).toEqual({ rows: 12_000 + canaryCount(12_000), canaries: 2 });
    await writeFingerprintedFile({ ...version(), licenseId: licences[2]! }, csv, 'csv', {});

    const fromParquet = await traceLeak(parquet, 'parquet', version(), licences);
    expect(fromParquet).toEqual([{ licenseId: licences[1], canariesFound: 2, canaries: 2, namedInMetadata: true }]);
    const fromCsv = await traceLeak(csv, 'csv', version(), licences);
    expect(fromCsv).toEqual([{ licenseId: licences[2], canariesFound: 2, canaries: 2, namedInMetadata: false }]);
  });

  it('finds the licence in a leak that was filtered, re-ordered and stripped of its metadata', async () => {
    const licence = 'dddddddd-0000-4000-8000-000000000004';
    const parquet = path.join(dir, 'd.parquet');
    await writeFingerprintedFile({ ...version(), licenseId: licence }, parquet, 'parquet', { civic_licence: licence });
    const stripped = path.join(dir, 'd-stripped.csv');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT * FROM read_parquet('${parquet}') ORDER BY visits DESC, district) TO '${stripped}' (FORMAT csv, HEADER true)`);
    connection.closeSync();
    instance.closeSync();
    const evidence = await traceLeak(stripped, 'csv', version(), ['eeeeeeee-0000-4000-8000-000000000005', licence]);
    expect(evidence.map((item) => [item.licenseId, item.canariesFound])).toEqual([[licence, 2]]);
  });

  it('counts one canary per 10,000 rows, between one and five', () => {
    expect([1, 9_999, 10_001, 1_000_000].map(canaryCount)).toEqual([1, 1, 2, 5]);
  });
});
