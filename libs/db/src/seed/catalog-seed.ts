import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_DATASETS, demoColumns, writeDemoFile, type DemoDataset, type DemoScale } from '@civic/demo-data';
import { ingestFile } from '@civic/ingest';
import { createObjectStore, type StorageConfig } from '@civic/storage';
import type { DataSource } from 'typeorm';
import { recordDatasetVersion, refreshSearchDocument, versionParquetKey } from '../catalog/catalog-store.js';
import { DatasetColumn, DatasetVersion, Dataset, Organization } from '../entities/index.js';

export interface CatalogSeedOptions {
  storage: StorageConfig;
  /** `small` keeps the large demo datasets small (tests); default `full`. */
  scale?: DemoScale;
  log?: (message: string) => void;
}

export interface CatalogSeedResult {
  datasetsCreated: number;
  versionsCreated: number;
}

/**
 * The demo catalog: each demo dataset written by @civic/demo-data, ingested by the same
 * pipeline as an upload (@civic/ingest), stored, versioned, described and published.
 * Idempotent: a dataset whose versions all exist is skipped without writing any file.
 */
export async function seedDemoCatalog(dataSource: DataSource, options: CatalogSeedOptions): Promise<CatalogSeedResult> {
  const store = createObjectStore(options.storage);
  const scale = options.scale ?? 'full';
  const workRoot = await mkdtemp(path.join(tmpdir(), 'civic-seed-'));
  const result: CatalogSeedResult = { datasetsCreated: 0, versionsCreated: 0 };
  try {
    for (const demo of DEMO_DATASETS) {
      const agency = await dataSource.manager.findOne(Organization, { where: { slug: demo.agencySlug } });
      if (!agency) throw new Error(`demo agency ${demo.agencySlug} is missing; run the demo seed first`);
      const found = await dataSource.manager.findOne(Dataset, { where: { slug: demo.slug } });
      const dataset = found ?? (await dataSource.manager.save(dataSource.manager.create(Dataset, datasetRow(demo, agency.id))));
      if (!found) result.datasetsCreated += 1;
      const versions = demo.versions ?? 1;
      const existing = await dataSource.manager.count(DatasetVersion, { where: { datasetId: dataset.id } });
      if (existing >= versions && dataset.status === 'published') continue;
      const started = Date.now();
      for (let version = existing + 1; version <= versions; version += 1) {
        const workDir = path.join(workRoot, `${demo.slug}-v${version}`);
        await mkdir(workDir, { recursive: true });
        const file = await writeDemoFile(demo, workDir, { version, scale });
        const ingested = await ingestFile({
          sourcePath: file,
          filename: path.basename(file),
          outputPath: path.join(workDir, 'version.parquet'),
          workDir,
        });
        const parquetKey = versionParquetKey(dataset.id, ingested.sha256);
        await store.putFile(parquetKey, ingested.parquetPath, { contentType: 'application/vnd.apache.parquet' });
        const datasetId = dataset.id;
        const parquetBytes = (await stat(ingested.parquetPath)).size;
        const recorded = await dataSource.transaction((manager) =>
          recordDatasetVersion(manager, {
            datasetId,
            ingestionId: null,
            userId: null,
            file: {
              sha256: ingested.sha256,
              filename: path.basename(file),
              format: ingested.format,
              encoding: ingested.encoding,
              bytes: ingested.bytes,
              rowCount: ingested.rowCount,
              schema: ingested.schema,
              profile: ingested.profile,
              parquetKey,
              parquetBytes,
            },
          }),
        );
        if (recorded.created) result.versionsCreated += 1;
        await rm(workDir, { recursive: true, force: true });
      }
      await dataSource.transaction(async (manager) => {
        for (const column of demoColumns(demo, versions)) {
          await manager.update(
            DatasetColumn,
            { datasetId: dataset.id, name: column.name },
            {
              descriptionZh: column.descriptionZh,
              descriptionEn: column.descriptionEn,
              sensitivity: column.sensitivity,
              joinPseudonym: column.joinPseudonym ?? false,
            },
          );
        }
        await manager.update(Dataset, { id: dataset.id }, { status: 'published', publishedAt: dataset.publishedAt ?? new Date() });
        await refreshSearchDocument(manager, dataset.id);
      });
      options.log?.(`demo dataset ${demo.slug}: ${versions} version(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await rm(workRoot, { recursive: true, force: true });
  }
  return result;
}

function datasetRow(demo: DemoDataset, agencyId: string): Partial<Dataset> {
  return {
    organizationId: agencyId,
    slug: demo.slug,
    titleZh: demo.titleZh,
    titleEn: demo.titleEn,
    descriptionZh: demo.descriptionZh,
    descriptionEn: demo.descriptionEn,
    theme: demo.theme,
    keywords: demo.keywords,
    contactName: demo.contactName,
    contactEmail: demo.contactEmail,
    updateFrequency: demo.updateFrequency,
    spatialCoverage: demo.spatialCoverage,
    temporalStart: demo.temporalStart,
    temporalEnd: demo.temporalEnd,
    licenseId: demo.licenseId,
    classification: demo.classification,
    minGroupSize: demo.minGroupSize,
    status: 'draft',
  };
}
