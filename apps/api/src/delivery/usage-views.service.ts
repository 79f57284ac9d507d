import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { dailyUsage, License, licenseUsage, Product } from '@civic/db';
import { dateIn, DomainError, usageWindow, type PricePlan } from '@civic/domain';
import type { DataSource } from 'typeorm';
import type { Principal } from '../common/principal.js';
import type { LicenseUsageDto, ProductUsageDto, UsageRangeQueryDto } from './dto/delivery.dto.js';

/**
 * What the metering shows people: a buyer's use of a licence per day against its period and
 * quota; a seller's deliveries of a product per day with distinct licensees. Every query is
 * scoped to the caller's organization (another's licence or product is missing).
 */
@Injectable()
export class UsageViews {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private range(query: UsageRangeQueryDto): { from: string; to: string; timeZone: string } {
    const timeZone = query.timeZone ?? 'UTC';
    const window = usageWindow({ from: query.from, to: query.to, granularity: 'day', today: dateIn(timeZone) });
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
    const totals = { api_call: 0, row: 0, byte: 0 };
    for (const day of days) {
      totals.api_call += day.api_call;
      totals.row += day.row;
      totals.byte += day.byte;
    }
    return { productId, days: days.map((day) => ({ ...day, consumers: consumers.get(day.day) ?? 0 })), totals, licensees };
  }
}
