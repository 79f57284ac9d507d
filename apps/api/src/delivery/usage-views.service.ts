import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { dailyUsage, Dataset, License, licenseUsage, Product } from '@civic/db';
import { dateIn, DomainError, usageWindow, type OrganizationKind, type PricePlan } from '@civic/domain';
import type { DataSource } from 'typeorm';
import type { Principal } from '../common/principal.js';
import type { DatasetProductUsageListDto, LicenseUsageDto, ProductUsageDto, UsageRangeQueryDto } from './dto/delivery.dto.js';

/** Receiving organizations listed in a product's deliveries. */
const TOP_CONSUMERS = 20;

/**
 * What the metering shows people: a buyer's use of a licence per day against its period and
 * quota; a seller's deliveries of a product per day with distinct licensees and who received the
 * most. Every query is scoped to the caller's organization (another's licence or product is
 * missing).
 */
@Injectable()
export class UsageViews {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The days asked for; per-day reports span at most 366 days, totals (`month`) up to five years. */
  private range(query: UsageRangeQueryDto, granularity: 'day' | 'month' = 'day'): { from: string; to: string; timeZone: string } {
    const timeZone = query.timeZone ?? 'UTC';
    const window = usageWindow({ from: query.from, to: query.to, granularity, today: dateIn(timeZone) });
    return { from: window.from, to: window.to, timeZone };
  }

  async forLicense(principal: Principal, licenseId: string, query: UsageRangeQueryDto): Promise<LicenseUsageDto> {
    const license = await this.dataSource.manager.findOneBy(License, { id: licenseId, organizationId: principal.organizationId });
    if (!license) throw new DomainError('licensing.not_found', 'Licence not found.');
    const days = await dailyUsage(this.dataSource, { licenseId }, this.range(query));
    const period =
      license.currentPeriodStart && license.currentPeriodEnd
        ? { start: license.currentPeriodStart.toISOString(), end: license.currentPeriodEnd.toISOString(), used: await licenseUsage(this.dataSource, licenseId, license.currentPeriodStart, license.currentPeriodEnd) }
        : null;
    const plan = license.pricePlan as unknown as PricePlan;
    const metered = plan.kind === 'metered' || plan.kind === 'hybrid' ? plan.metered : null;
    return {
      licenseId,
      days,
      period,
      quota: metered ? { unit: metered.unit, included: metered.includedQuantity, max: metered.maxQuantity ?? null, used: period ? period.used[metered.unit] : 0 } : null,
    };
  }

  async forProduct(principal: Principal, productId: string, query: UsageRangeQueryDto): Promise<ProductUsageDto> {
    const product = await this.dataSource.manager.findOneBy(Product, { id: productId, organizationId: principal.organizationId });
    if (!product) throw new DomainError('product.not_found', 'Product not found.');
    const range = this.range(query);
    const days = await dailyUsage(this.dataSource, { productId }, range);
    const rows = (await this.dataSource.query(
      `SELECT to_char((hour AT TIME ZONE $4)::date, 'YYYY-MM-DD') AS day, count(DISTINCT consumer_organization_id)::int AS consumers
         FROM usage_hourly
        WHERE product_id = $1 AND unit = 'row'
          AND hour >= ($2::date::timestamp AT TIME ZONE $4) AND hour < (($3::date + 1)::timestamp AT TIME ZONE $4)
        GROUP BY 1`,
      [productId, range.from, range.to, range.timeZone],
    )) as Array<{ day: string; consumers: number }>;
    const consumers = new Map(rows.map((row) => [row.day, row.consumers]));
    const [{ licensees }] = (await this.dataSource.query(
      `SELECT count(DISTINCT consumer_organization_id)::int AS licensees FROM usage_hourly
        WHERE product_id = $1 AND license_id IS NOT NULL AND hour >= ($2::date::timestamp AT TIME ZONE $4) AND hour < (($3::date + 1)::timestamp AT TIME ZONE $4)`,
      [productId, range.from, range.to, range.timeZone],
    )) as Array<{ licensees: number }>;
    const top = (await this.dataSource.query(
      `SELECT o.id, o.slug, o.name, o.kind, max(u.hour) AS last,
              coalesce(sum(u.quantity) FILTER (WHERE u.unit = 'api_call'), 0) AS api_call,
              coalesce(sum(u.quantity) FILTER (WHERE u.unit = 'row'), 0) AS "row",
              coalesce(sum(u.quantity) FILTER (WHERE u.unit = 'byte'), 0) AS byte
         FROM usage_hourly u JOIN organizations o ON o.id = u.consumer_organization_id
        WHERE u.product_id = $1 AND u.hour >= ($2::date::timestamp AT TIME ZONE $4) AND u.hour < (($3::date + 1)::timestamp AT TIME ZONE $4)
        GROUP BY o.id
        ORDER BY "row" DESC, api_call DESC, o.name
        LIMIT ${TOP_CONSUMERS}`,
      [productId, range.from, range.to, range.timeZone],
    )) as Array<{ id: string; slug: string; name: string; kind: OrganizationKind; last: Date; api_call: string; row: string; byte: string }>;
    const consumerList = top.map((row) => ({
      organization: { id: row.id, slug: row.slug, name: row.name, kind: row.kind },
      own: row.id === principal.organizationId,
      api_call: Number(row.api_call),
      row: Number(row.row),
      byte: Number(row.byte),
      lastDeliveredAt: new Date(row.last).toISOString(),
    }));
    const totals = { api_call: 0, row: 0, byte: 0 };
    for (const day of days) {
      totals.api_call += day.api_call;
      totals.row += day.row;
      totals.byte += day.byte;
    }
    return { productId, days: days.map((day) => ({ ...day, consumers: consumers.get(day.day) ?? 0 })), totals, licensees, consumers: consumerList };
  }

  /**
   * An agency's view of one of its datasets through the products built on it (directly or
   * through other products): what each delivered in the range and to how many licensees.
   */
  async forDatasetProducts(principal: Principal, datasetId: string, query: UsageRangeQueryDto): Promise<DatasetProductUsageListDto> {
    const dataset = await this.dataSource.manager.findOneBy(Dataset, { id: datasetId, organizationId: principal.organizationId });
    if (!dataset) throw new DomainError('catalog.not_found', 'Dataset not found.');
    const range = this.range(query, 'month');
    const rows = (await this.dataSource.query(
      `WITH RECURSIVE dependents AS (
         SELECT product_id FROM product_inputs WHERE dataset_id = $1
         UNION
         SELECT i.product_id FROM product_inputs i JOIN dependents d ON i.source_product_id = d.product_id
       )
       SELECT p.id, p.slug, p.title_zh, p.title_en, o.name AS seller,
              coalesce(sum(u.quantity) FILTER (WHERE u.unit = 'api_call'), 0) AS api_call,
              coalesce(sum(u.quantity) FILTER (WHERE u.unit = 'row'), 0) AS "row",
              coalesce(sum(u.quantity) FILTER (WHERE u.unit = 'byte'), 0) AS byte,
              count(DISTINCT u.consumer_organization_id) FILTER (WHERE u.license_id IS NOT NULL)::int AS licensees
         FROM dependents d
         JOIN products p ON p.id = d.product_id
         JOIN organizations o ON o.id = p.organization_id
         LEFT JOIN usage_hourly u ON u.product_id = p.id AND u.hour >= ($2::date::timestamp AT TIME ZONE $4) AND u.hour < (($3::date + 1)::timestamp AT TIME ZONE $4)
        WHERE p.status IN ('published', 'suspended', 'withdrawn')
        GROUP BY p.id, o.name
        ORDER BY sum(u.quantity) FILTER (WHERE u.unit = 'api_call') DESC NULLS LAST, p.slug`,
      [datasetId, range.from, range.to, range.timeZone],
    )) as Array<{ id: string; slug: string; title_zh: string; title_en: string; seller: string; api_call: string; row: string; byte: string; licensees: number }>;
    return {
      items: rows.map((row) => ({ productId: row.id, slug: row.slug, titleZh: row.title_zh, titleEn: row.title_en, seller: row.seller, api_call: Number(row.api_call), row: Number(row.row), byte: Number(row.byte), licensees: row.licensees })),
    };
  }
}
