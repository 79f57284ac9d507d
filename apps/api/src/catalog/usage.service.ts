import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Dataset, TenantRepository, type TenantScope } from '@civic/db';
import { dateIn, DomainError, USAGE_TOP_LIMIT, usageWindow, type OrganizationKind, type UsageWindow } from '@civic/domain';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import type { AgencyUsageReportDto, DatasetUsageRowDto, UsageBucketDto, UsageConsumerDto, UsageQueryDto, UsageReportDto, UsageTotalsDto } from './dto/usage.dto.js';

/**
 * Deliveries of the given datasets inside the period: $1 dataset ids, $2 first day, $3 last
 * day (both in the time zone $4). Served by the index on (dataset_id, delivered_at).
 */
const IN_PERIOD = `d.dataset_id = ANY($1::uuid[])
     AND d.delivered_at >= $2::date::timestamp AT TIME ZONE $4
     AND d.delivered_at < ($3::date + 1)::timestamp AT TIME ZONE $4`;

const COUNTS = `count(*) FILTER (WHERE d.channel = 'preview')::int AS preview,
         count(*) FILTER (WHERE d.channel = 'download' AND d.format = 'csv')::int AS csv,
         count(*) FILTER (WHERE d.channel = 'download' AND d.format = 'parquet')::int AS parquet,
         count(*)::int AS deliveries,
         coalesce(sum(d.rows), 0)::float8 AS rows`;

/** One row per bucket ($5: day, week or month), zero-filled by generate_series. */
const SERIES_SQL = `
  WITH counted AS (
    SELECT date_trunc($5, d.delivered_at AT TIME ZONE $4)::date AS start, ${COUNTS}
      FROM dataset_deliveries d
     WHERE ${IN_PERIOD}
     GROUP BY 1)
  SELECT to_char(s.start, 'YYYY-MM-DD') AS start,
         coalesce(c.preview, 0) AS preview, coalesce(c.csv, 0) AS csv, coalesce(c.parquet, 0) AS parquet,
         coalesce(c.deliveries, 0) AS deliveries, coalesce(c.rows, 0) AS rows
    FROM generate_series(date_trunc($5, $2::date::timestamp), date_trunc($5, $3::date::timestamp), ('1 ' || $5)::interval) AS s(start)
    LEFT JOIN counted c ON c.start = s.start::date
   ORDER BY s.start`;

/** Deliveries per receiving organization (NULL: callers who were not signed in). */
const CONSUMERS_SQL = `
  SELECT d.organization_id AS "organizationId", o.slug, o.name, o.kind,
         count(*)::int AS deliveries, coalesce(sum(d.rows), 0)::float8 AS rows, max(d.delivered_at) AS "lastDeliveredAt"
    FROM dataset_deliveries d
    LEFT JOIN organizations o ON o.id = d.organization_id
   WHERE ${IN_PERIOD}
   GROUP BY d.organization_id, o.slug, o.name, o.kind
   ORDER BY deliveries DESC, rows DESC, o.name NULLS LAST, d.organization_id`;

const DATASETS_SQL = `
  SELECT d.dataset_id AS "datasetId", ${COUNTS}, count(DISTINCT d.organization_id)::int AS organizations
    FROM dataset_deliveries d
   WHERE ${IN_PERIOD}
   GROUP BY d.dataset_id
   ORDER BY deliveries DESC, rows DESC, d.dataset_id
   LIMIT ${USAGE_TOP_LIMIT}`;

type ConsumerRow = {
  organizationId: string | null;
  slug: string | null;
  name: string | null;
  kind: OrganizationKind | null;
  deliveries: number;
  rows: number;
  lastDeliveredAt: Date;
};
type DatasetRow = Omit<DatasetUsageRowDto, 'dataset'> & { datasetId: string };

/** PostgreSQL's "invalid parameter value", raised for a time zone it does not know. */
const INVALID_PARAMETER = '22023';

/**
 * Usage analytics for an agency: how often the rows of its datasets were delivered (previews,
 * CSV and Parquet downloads, as recorded in `dataset_deliveries`), to whom, over a period in
 * buckets. Only the agency's own datasets: another agency's dataset is a 404, as everywhere.
 * Each report reads one snapshot, so its series, totals and lists agree.
 */
@Injectable()
export class UsageService {
  private readonly datasets: TenantRepository<Dataset>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.datasets = new TenantRepository(dataSource.manager, Dataset);
  }

  async forDataset(scope: TenantScope, id: string, query: UsageQueryDto): Promise<UsageReportDto> {
    const dataset = await this.datasets.findOne(scope, { id });
    if (!dataset) throw new DomainError('catalog.not_found', 'Dataset not found.');
    const { timeZone, window } = this.period(query);
    return this.reading(async (manager) => this.report(manager, scope, [dataset.id], window, timeZone));
  }

  async forAgency(scope: TenantScope, query: UsageQueryDto): Promise<AgencyUsageReportDto> {
    const { timeZone, window } = this.period(query);
    const datasets = await this.datasets.find(scope);
    const byId = new Map(datasets.map((dataset) => [dataset.id, dataset]));
    return this.reading(async (manager) => {
      const report = await this.report(manager, scope, [...byId.keys()], window, timeZone);
      const rows = (await manager.query(DATASETS_SQL, this.params([...byId.keys()], window, timeZone))) as DatasetRow[];
      const topDatasets = rows.map(({ datasetId, ...counts }) => {
        const dataset = byId.get(datasetId) as Dataset;
        return { dataset: { id: dataset.id, slug: dataset.slug, titleZh: dataset.titleZh, titleEn: dataset.titleEn, status: dataset.status }, ...counts };
      });
      return { ...report, topDatasets };
    });
  }

  private period(query: UsageQueryDto): { timeZone: string; window: UsageWindow } {
    const timeZone = query.timeZone ?? 'UTC';
    return { timeZone, window: usageWindow({ from: query.from, to: query.to, granularity: query.granularity, today: dateIn(timeZone) }) };
  }

  /** Parameters of IN_PERIOD ($1–$4). */
  private params(ids: string[], window: UsageWindow, timeZone: string): unknown[] {
    return [ids, window.from, window.to, timeZone];
  }

  /** A repeatable-read transaction: every query of a report sees the same deliveries. */
  private async reading<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction('REPEATABLE READ', work);
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === INVALID_PARAMETER) {
        throw new DomainError('request.invalid', 'The time zone is not known to the database.', [{ field: 'timeZone', messages: ['is not a time zone this server knows'] }]);
      }
      throw error;
    }
  }

  private async report(manager: EntityManager, scope: TenantScope, ids: string[], window: UsageWindow, timeZone: string): Promise<UsageReportDto> {
    const params = this.params(ids, window, timeZone);
    const series = (await manager.query(SERIES_SQL, [...params, window.granularity])) as UsageBucketDto[];
    const consumers = (await manager.query(CONSUMERS_SQL, params)) as ConsumerRow[];
    const totals: UsageTotalsDto = { preview: 0, csv: 0, parquet: 0, deliveries: 0, rows: 0, organizations: 0, anonymousDeliveries: 0 };
    for (const bucket of series) {
      totals.preview += bucket.preview;
      totals.csv += bucket.csv;
      totals.parquet += bucket.parquet;
      totals.deliveries += bucket.deliveries;
      totals.rows += bucket.rows;
    }
    for (const consumer of consumers) {
      if (consumer.organizationId === null) totals.anonymousDeliveries += consumer.deliveries;
      else totals.organizations += 1;
    }
    const topConsumers: UsageConsumerDto[] = consumers.slice(0, USAGE_TOP_LIMIT).map((consumer) => ({
      organization:
        consumer.organizationId === null
          ? null
          : { id: consumer.organizationId, slug: consumer.slug ?? '', name: consumer.name ?? '', kind: consumer.kind as OrganizationKind },
      own: consumer.organizationId === scope.organizationId,
      deliveries: consumer.deliveries,
      rows: consumer.rows,
      lastDeliveredAt: consumer.lastDeliveredAt.toISOString(),
    }));
    return { from: window.from, to: window.to, granularity: window.granularity, timeZone, series, totals, topConsumers };
  }
}
