import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DerivationRun,
  loadLineage,
  Organization,
  ProductReview,
  ProductVersion,
  ProductVersionInput,
  resolveProductInputs,
  settingsChangedSince,
  User,
  versionPolicyConflicts,
  type InputDetails,
  type Product,
} from '@civic/db';
import { formatShare, lineageGraph, resolveLineage, reviewerKey, type Share } from '@civic/domain';
import { In, LessThan, type DataSource } from 'typeorm';
import type {
  LineageGraphDto,
  ProductDto,
  ProductInputDto,
  ProductSummaryDto,
  ProductVersionDto,
  ReviewDto,
  ReviewStateDto,
  RunDto,
  SettingsChangedDto,
} from './dto/products.dto.js';
import { decisionReviewer } from './product-reviews.service.js';
import { ReviewRules } from './review-rules.js';

/** Assembles the response shapes of products (inputs, versions, runs, review, lineage). */
@Injectable()
export class ProductViews {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rules: ReviewRules,
  ) {}

  /** `reviewerNames`: name the people who decided (reviewers' and supervisors' view). */
  async detail(product: Product, options: { reviewerNames?: boolean } = {}): Promise<ProductDto> {
    const manager = this.dataSource.manager;
    const inputs = await manager.query(
      `SELECT name, position, weight, dataset_id AS "datasetId", source_product_id AS "sourceProductId" FROM product_inputs WHERE product_id = $1`,
      [product.id],
    );
    const [details, version, latestRun, review, owner] = await Promise.all([
      resolveProductInputs(manager, product.organizationId, inputs),
      product.currentVersionId ? this.version(product.currentVersionId) : null,
      manager.findOne(DerivationRun, { where: { productId: product.id }, order: { createdAt: 'DESC' } }),
      this.review(product, options),
      manager.findOneByOrFail(Organization, { id: product.organizationId }),
    ]);
    return {
      id: product.id,
      organizationId: product.organizationId,
      organizationName: owner.name,
      kind: product.kind,
      slug: product.slug,
      titleZh: product.titleZh,
      titleEn: product.titleEn,
      descriptionZh: product.descriptionZh,
      descriptionEn: product.descriptionEn,
      theme: product.theme,
      keywords: product.keywords,
      sql: product.sql,
      status: product.status,
      suspensionReason: product.suspensionReason ? { ...product.suspensionReason } : null,
      rejectionReason: product.rejectionReason,
      inputs: details.map(toInputDto),
      currentVersion: version,
      latestRun: latestRun ? await this.run(latestRun) : null,
      settingsChanged: latestRun ? await this.settingsChanged(product, latestRun, details) : null,
      review,
      createdAt: product.createdAt.toISOString(),
      updatedAt: product.updatedAt.toISOString(),
      publishedAt: product.publishedAt?.toISOString() ?? null,
    };
  }

  /**
   * Whether an agency changed the privacy settings of an input since the latest run was asked
   * for (for draft and submitted products, which are not derived again by themselves), and
   * whether the current version still meets them.
   */
  private async settingsChanged(product: Product, run: DerivationRun, details: readonly InputDetails[]): Promise<SettingsChangedDto | null> {
    const changed = settingsChangedSince(run.inputs, details);
    if (changed.length === 0) return null;
    const conflicts = product.currentVersionId ? await versionPolicyConflicts(this.dataSource.manager, product) : [];
    return {
      runId: run.id,
      inputs: changed.map(({ input, changes }) => ({ name: input, changes })),
      versionMeetsSettings: product.currentVersionId ? conflicts.length === 0 : null,
    };
  }

  async summaries(products: Product[]): Promise<ProductSummaryDto[]> {
    const manager = this.dataSource.manager;
    const versionIds = products.flatMap((product) => (product.currentVersionId ? [product.currentVersionId] : []));
    const [versions, organizations] = await Promise.all([
      versionIds.length ? manager.findBy(ProductVersion, { id: In(versionIds) }) : [],
      products.length ? manager.findBy(Organization, { id: In([...new Set(products.map((product) => product.organizationId))]) }) : [],
    ]);
    return products.map((product) => {
      const version = versions.find((candidate) => candidate.id === product.currentVersionId);
      return {
        id: product.id,
        slug: product.slug,
        kind: product.kind,
        titleZh: product.titleZh,
        titleEn: product.titleEn,
        theme: product.theme,
        status: product.status,
        organizationName: organizations.find((organization) => organization.id === product.organizationId)?.name ?? '',
        version: version?.version ?? null,
        rowCount: version?.rowCount ?? null,
        updatedAt: product.updatedAt.toISOString(),
        submittedAt: product.submittedAt?.toISOString() ?? null,
        rejectionReason: product.status === 'draft' ? product.rejectionReason : null,
      };
    });
  }

  async version(id: string): Promise<ProductVersionDto> {
    const version = await this.dataSource.manager.findOneByOrFail(ProductVersion, { id });
    return this.versionDto(version);
  }

  async versionDto(version: ProductVersion): Promise<ProductVersionDto> {
    // Each exact input with what it is: the dataset's or product's title and the version number read.
    const inputs: Array<ProductVersionInput & { sourceId: string; slug: string; titleZh: string; titleEn: string; sourceVersion: number }> = await this.dataSource.manager.query(
      `SELECT i.name, i.weight, i.dataset_version_id AS "datasetVersionId", i.input_product_version_id AS "inputProductVersionId",
              coalesce(d.id, p.id) AS "sourceId", coalesce(d.slug, p.slug) AS slug, coalesce(d.title_zh, p.title_zh) AS "titleZh",
              coalesce(d.title_en, p.title_en) AS "titleEn", coalesce(dv.version, pv.version) AS "sourceVersion"
         FROM product_version_inputs i
         LEFT JOIN dataset_versions dv ON dv.id = i.dataset_version_id LEFT JOIN datasets d ON d.id = dv.dataset_id
         LEFT JOIN product_versions pv ON pv.id = i.input_product_version_id LEFT JOIN products p ON p.id = pv.product_id
        WHERE i.product_version_id = $1
        ORDER BY i.position`,
      [version.id],
    );
    return {
      id: version.id,
      version: version.version,
      rowCount: version.rowCount,
      parquetBytes: version.parquetBytes,
      schema: version.schema,
      profile: version.profile,
      gateReport: version.gateReport,
      inputs: inputs.map((input) => ({
        name: input.name,
        weight: input.weight,
        datasetVersionId: input.datasetVersionId,
        productVersionId: input.inputProductVersionId,
        kind: input.datasetVersionId ? ('dataset' as const) : ('product' as const),
        sourceId: input.sourceId,
        slug: input.slug,
        titleZh: input.titleZh,
        titleEn: input.titleEn,
        version: input.sourceVersion,
      })),
      sql: version.sql,
      createdAt: version.createdAt.toISOString(),
    };
  }

  async run(run: DerivationRun): Promise<RunDto> {
    const version = run.versionId ? await this.dataSource.manager.findOneBy(ProductVersion, { id: run.versionId }) : null;
    return {
      id: run.id,
      productId: run.productId,
      trigger: run.trigger,
      status: run.status,
      stage: run.stage,
      progress: run.progress,
      attempts: run.attempts,
      outputRows: run.outputRows,
      gateReport: run.gateReport,
      errorCode: run.errorCode,
      errorMessage: run.errorMessage,
      errorDetails: run.errorDetails,
      versionId: run.versionId,
      version: version?.version ?? null,
      createdAt: run.createdAt.toISOString(),
      startedAt: run.startedAt?.toISOString() ?? null,
      finishedAt: run.finishedAt?.toISOString() ?? null,
    };
  }

  /**
   * Where the review stands: who must decide this round and who has, and every earlier round's
   * decisions. A round is open while the product is submitted; one taken back before everyone
   * decided is `cancelled`.
   */
  async review(product: Product, options: { reviewerNames?: boolean } = {}): Promise<ReviewStateDto> {
    const manager = this.dataSource.manager;
    const state = await this.rules.state(product);
    const history =
      state.round > 1 ? await manager.find(ProductReview, { where: { productId: product.id, round: LessThan(state.round) }, order: { round: 'DESC', decidedAt: 'ASC' } }) : [];
    const decisions = [...state.decisions, ...history];
    const agencyIds = [
      ...new Set([
        ...state.required.flatMap((reviewer) => (reviewer === 'platform' ? [] : [reviewer.agencyId])),
        ...decisions.flatMap((decision) => (decision.agencyId ? [decision.agencyId] : [])),
      ]),
    ];
    const versionIds = [...new Set(decisions.map((decision) => decision.versionId))];
    const userIds = options.reviewerNames ? [...new Set(decisions.map((decision) => decision.decidedByUserId))] : [];
    const [agencies, versions, users] = await Promise.all([
      agencyIds.length ? manager.findBy(Organization, { id: In(agencyIds) }) : [],
      versionIds.length ? manager.find(ProductVersion, { where: { id: In(versionIds) }, select: { id: true, version: true } }) : [],
      userIds.length ? manager.find(User, { where: { id: In(userIds) }, select: { id: true, displayName: true } }) : [],
    ]);
    const names = new Map(agencies.map((row) => [row.id, row.name]));
    const versionNumbers = new Map(versions.map((row) => [row.id, row.version]));
    const people = new Map(users.map((row) => [row.id, row.displayName]));
    const decided = new Set(state.decisions.map((decision) => reviewerKey(decisionReviewer(decision))));
    const open = state.round > 0 && product.status === 'submitted';
    const toDto = (decision: ProductReview): ReviewDto => ({
      round: decision.round,
      version: versionNumbers.get(decision.versionId) ?? null,
      reviewerKind: decision.reviewerKind,
      agencyId: decision.agencyId,
      agencyName: decision.agencyId ? (names.get(decision.agencyId) ?? null) : null,
      decidedByName: options.reviewerNames ? (people.get(decision.decidedByUserId) ?? null) : null,
      decision: decision.decision,
      reason: decision.reason,
      decidedAt: decision.decidedAt.toISOString(),
    });
    return {
      round: state.round,
      status: state.status.status === 'pending' && state.round > 0 && !open ? 'cancelled' : state.status.status,
      open,
      submittedAt: state.round > 0 ? (product.submittedAt?.toISOString() ?? null) : null,
      required: state.required.map((reviewer) => ({
        reviewerKind: reviewer === 'platform' ? 'platform' : 'agency',
        agencyId: reviewer === 'platform' ? null : reviewer.agencyId,
        agencyName: reviewer === 'platform' ? null : (names.get(reviewer.agencyId) ?? null),
        decided: decided.has(reviewerKey(reviewer)),
      })),
      decisions: state.decisions.map(toDto),
      history: history.map(toDto),
    };
  }

  /** The lineage graph of a product version down to the government datasets, with each agency's exact share. */
  async lineage(versionId: string): Promise<LineageGraphDto> {
    const loaded = await loadLineage(this.dataSource.manager, versionId);
    const graph = lineageGraph(versionId, loaded.lookup);
    const resolved = resolveLineage(versionId, loaded.lookup);
    const agencies = new Map<string, string>();
    for (const node of loaded.nodes.values()) if (node.kind === 'dataset_version') agencies.set(node.organizationId, node.organizationName);
    return {
      nodes: graph.nodes.map((node) => {
        const info = loaded.nodes.get(node.id);
        return {
          id: node.id,
          kind: node.kind,
          ownerId: info?.ownerId ?? null,
          slug: info?.slug ?? null,
          titleZh: info?.titleZh ?? null,
          titleEn: info?.titleEn ?? null,
          version: info?.version ?? null,
          organizationId: info?.organizationId ?? null,
          organizationName: info?.organizationName ?? null,
          classification: info?.classification ?? null,
        };
      }),
      edges: graph.edges,
      agencies: resolved.agencies.map((entry) => ({
        agencyId: entry.agencyId,
        agencyName: agencies.get(entry.agencyId) ?? '',
        share: formatShare(entry.share),
        basisPoints: basisPoints(entry.share),
      })),
    };
  }
}

/** A share in basis points (rounded down), for display; exact shares are the fractions. */
function basisPoints(share: Share): number {
  return Number((share.numerator * 10_000n) / share.denominator);
}

export function toInputDto(input: InputDetails): ProductInputDto {
  return {
    name: input.name,
    position: input.position,
    weight: input.weight,
    kind: input.kind,
    id: input.id,
    slug: input.slug,
    titleZh: input.titleZh,
    titleEn: input.titleEn,
    organizationId: input.organizationId,
    organizationName: input.organizationName,
    classification: input.classification,
    usable: input.unusableReason === null,
    unusableReason: input.unusableReason,
    // Personal columns are never visible to the SQL; a pseudonym column is visible by its name.
    columns: input.columns
      .filter((column) => column.sensitivity !== 'personal' || column.pseudonym)
      .map((column) => ({ name: column.name, type: column.pseudonym ? 'VARCHAR' : column.type, sensitivity: column.sensitivity, pseudonym: column.pseudonym })),
  };
}
