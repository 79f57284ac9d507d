import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { REVENUE_KINDS_SQL } from '@civic/db';
import { accountingPeriodRange, describePricePlan, DomainError, parsePricePlan } from '@civic/domain';
import type { DataSource } from 'typeorm';
import type { DisclosureReportDto } from './dto/finance.dto.js';

type Row = Record<string, unknown>;

/**
 * The annual public disclosure of the civic data revenue: what the platform earned from
 * government data in a year, by agency and dataset (the agencies' part is government non-tax
 * revenue), the price list in force, and how many organizations held licences. Public: no
 * buyer, vendor or amount of a single transaction is shown.
 */
@Injectable()
export class DisclosureService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async report(year: number, now = new Date()): Promise<DisclosureReportDto> {
    if (!Number.isInteger(year) || year < 2000 || year > now.getUTCFullYear()) {
      throw new DomainError('request.invalid', 'A year from 2000 to this year.', [{ field: 'year', messages: ['from 2000 to this year'] }]);
    }
    const from = `${year}-01`;
    const to = `${year}-12`;
    const { start } = accountingPeriodRange(from);
    const { end } = accountingPeriodRange(to);
    const shares = `
      SELECT p.currency, p.account, p.dataset_id, p.product_id, -p.amount AS amount
        FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id
       WHERE e.kind IN (${REVENUE_KINDS_SQL}) AND p.period BETWEEN $1 AND $2
         AND (p.account = 'platform_revenue' OR p.account LIKE 'agency\\_payable:%' OR p.account LIKE 'vendor\\_payable:%')`;
    const totals: Row[] = await this.dataSource.query(
      `SELECT trim(currency) AS currency, sum(amount)::text AS net,
              coalesce(sum(amount) FILTER (WHERE account LIKE 'agency\\_payable:%'), 0)::text AS agencies,
              coalesce(sum(amount) FILTER (WHERE account = 'platform_revenue'), 0)::text AS platform
         FROM (${shares}) s GROUP BY 1 ORDER BY 1`,
      [from, to],
    );
    const agencies: Row[] = await this.dataSource.query(
      `SELECT substring(s.account FROM 16)::uuid AS agency_id, o.name, trim(s.currency) AS currency, sum(s.amount)::text AS royalties, count(DISTINCT s.dataset_id)::int AS datasets
         FROM (${shares}) s JOIN organizations o ON o.id = substring(s.account FROM 16)::uuid
        WHERE s.account LIKE 'agency\\_payable:%' GROUP BY 1, 2, 3 ORDER BY sum(s.amount) DESC, 2`,
      [from, to],
    );
    const datasets: Row[] = await this.dataSource.query(
      `SELECT d.id, d.title_zh, d.title_en, d.classification, o.name AS agency_name, trim(s.currency) AS currency, sum(s.amount)::text AS royalties, count(DISTINCT s.product_id)::int AS products
         FROM (${shares}) s JOIN datasets d ON d.id = s.dataset_id JOIN organizations o ON o.id = d.organization_id
        WHERE s.account LIKE 'agency\\_payable:%' GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY sum(s.amount) DESC, 3`,
      [from, to],
    );
    const offers: Row[] = await this.dataSource.query(
      `SELECT p.slug, p.title_zh, p.title_en, seller.name AS seller_name, f.name_zh, f.name_en, f.price_plan,
              (SELECT count(DISTINCT l.organization_id) FROM licenses l
                WHERE l.offer_id = f.id AND coalesce(l.activated_at, l.accepted_at) < $2 AND coalesce(l.ended_at, 'infinity') >= $1
                  AND l.state NOT IN ('pending_approval','pending_payment'))::int AS licensees
         FROM offers f JOIN products p ON p.id = f.product_id JOIN organizations seller ON seller.id = f.organization_id
        WHERE f.published_at < $2 AND (f.status = 'published' OR (f.status = 'archived' AND f.updated_at >= $1))
        ORDER BY p.title_en, f.position`,
      [start, end],
    );
    const licensees: Row[] = await this.dataSource.query(
      `SELECT count(DISTINCT organization_id)::int AS n FROM licenses
        WHERE coalesce(activated_at, accepted_at) < $2 AND coalesce(ended_at, 'infinity') >= $1 AND state NOT IN ('pending_approval','pending_payment')`,
      [start, end],
    );
    const perCurrency = (key: string) => Object.fromEntries(totals.map((row) => [row.currency as string, Number(row[key])]));
    return {
      year,
      generatedAt: now.toISOString(),
      netRevenue: perCurrency('net'),
      agencyRoyalties: perCurrency('agencies'),
      platformFees: perCurrency('platform'),
      licensees: Number(licensees[0]?.n ?? 0),
      agencies: agencies.map((row) => ({ agencyId: row.agency_id as string, agencyName: row.name as string, currency: row.currency as string, royalties: Number(row.royalties), datasets: Number(row.datasets) })),
      datasets: datasets.map((row) => ({
        datasetId: row.id as string,
        titleZh: row.title_zh as string,
        titleEn: row.title_en as string,
        agencyName: row.agency_name as string,
        classification: row.classification as string,
        currency: row.currency as string,
        royalties: Number(row.royalties),
        products: Number(row.products),
      })),
      prices: offers.map((row) => {
        const plan = parsePricePlan(row.price_plan);
        return {
          productSlug: row.slug as string,
          productTitleZh: row.title_zh as string,
          productTitleEn: row.title_en as string,
          sellerName: row.seller_name as string,
          offerNameZh: row.name_zh as string,
          offerNameEn: row.name_en as string,
          priceZh: describePricePlan(plan, 'zh-CN'),
          priceEn: describePricePlan(plan, 'en'),
          licensees: Number(row.licensees),
        };
      }),
    };
  }
}
