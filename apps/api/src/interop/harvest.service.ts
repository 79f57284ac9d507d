import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiConfig } from '@civic/config';
import { Dataset, refreshSearchDocument, type TenantScope } from '@civic/db';
import { DomainError, parseCkanHarvest, type Classification, type HarvestedDatasetDraft } from '@civic/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/principal.js';
import type { HarvestDto, HarvestResultDto } from './harvest.dto.js';
import { CatalogSearchService } from '../catalog/catalog-search.service.js';
import { fetchRemoteJson } from './remote-fetch.js';

const MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 30_000;

/** Metadata a harvest keeps in step with the remote portal. */
const HARVESTED_FIELDS = [
  'titleZh',
  'titleEn',
  'descriptionZh',
  'descriptionEn',
  'keywords',
  'theme',
  'licenseId',
  'updateFrequency',
  'contactName',
  'contactEmail',
  'spatialCoverage',
  'temporalStart',
  'temporalEnd',
] as const;

/**
 * Imports another CKAN portal's catalog into draft datasets of the steward's agency. A package
 * is identified by (source, remote id): harvesting again updates the drafts it made before
 * instead of duplicating them. Files are not copied; the steward uploads data for the drafts.
 */
@Injectable()
export class HarvestService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly config: ApiConfig,
    private readonly search: CatalogSearchService,
  ) {}

  async harvest(actor: Actor, scope: TenantScope, input: HarvestDto): Promise<HarvestResultDto> {
    if (Boolean(input.url) === Boolean(input.response)) {
      throw new DomainError('request.invalid', 'Give either a portal URL or a package_search response.', [{ field: 'url', messages: ['url or response required'] }]);
    }
    let body: unknown;
    let sourceUrl: string;
    if (input.url) {
      const url = packageSearchUrl(input.url);
      body = await fetchRemoteJson(url, { allowPrivate: this.config.HARVEST_ALLOW_PRIVATE_NETWORKS, maxBytes: MAX_RESPONSE_BYTES, timeoutMs: FETCH_TIMEOUT_MS });
      sourceUrl = url;
    } else {
      if (!input.sourceUrl) throw new DomainError('request.invalid', 'Say which portal the response came from.', [{ field: 'sourceUrl', messages: ['required with response'] }]);
      body = input.response;
      sourceUrl = input.sourceUrl;
    }
    const parsed = parseCkanHarvest(body, { sourceUrl });
    const classification = input.classification ?? 'open';
    try {
      return await this.harvestDrafts(actor, scope, parsed, sourceUrl, classification);
    } finally {
      // Re-harvested metadata of published datasets changes what search finds.
      this.search.invalidate();
    }
  }

  private harvestDrafts(
    actor: Actor,
    scope: TenantScope,
    parsed: ReturnType<typeof parseCkanHarvest>,
    sourceUrl: string,
    classification: Classification,
  ): Promise<HarvestResultDto> {
    return this.dataSource.transaction(async (manager) => {
      const datasets: HarvestResultDto['datasets'] = [];
      for (const draft of parsed.drafts) datasets.push(await this.upsert(manager, actor, scope, draft, classification));
      const counts = { created: 0, updated: 0, unchanged: 0 };
      for (const dataset of datasets) counts[dataset.outcome] += 1;
      const source = parsed.drafts[0]?.harvestSource ?? sourceUrl;
      await this.audit.record(manager, actor, { action: 'dataset.harvested', targetType: 'harvest_source', targetId: null, data: { source, ...counts, skipped: parsed.skipped.length } });
      return { source, ...counts, datasets, skipped: parsed.skipped };
    });
  }

  private async upsert(
    manager: EntityManager,
    actor: Actor,
    scope: TenantScope,
    draft: HarvestedDatasetDraft,
    classification: Classification,
  ): Promise<HarvestResultDto['datasets'][number]> {
    const metadata = {
      titleZh: draft.titleZh,
      titleEn: draft.titleEn,
      descriptionZh: draft.descriptionZh,
      descriptionEn: draft.descriptionEn,
      keywords: draft.keywords,
      theme: draft.theme,
      licenseId: draft.licenseId,
      updateFrequency: draft.updateFrequency,
      contactName: draft.contactName ?? '',
      contactEmail: draft.contactEmail ?? '',
      spatialCoverage: draft.spatialCoverage ?? '',
      temporalStart: draft.temporalStart,
      temporalEnd: draft.temporalEnd && draft.temporalStart && draft.temporalEnd < draft.temporalStart ? null : draft.temporalEnd,
    };
    const existing = await manager.findOne(Dataset, {
      where: { organizationId: scope.organizationId, harvestSource: draft.harvestSource, harvestIdentifier: draft.harvestIdentifier },
    });
    if (existing) {
      const changed = HARVESTED_FIELDS.filter((field) => JSON.stringify(existing[field]) !== JSON.stringify(metadata[field]));
      if (changed.length > 0) {
        await manager.update(Dataset, { id: existing.id }, { ...metadata, updatedAt: new Date() });
        await refreshSearchDocument(manager, existing.id);
      }
      return { id: existing.id, slug: existing.slug, titleZh: metadata.titleZh, harvestIdentifier: draft.harvestIdentifier, outcome: changed.length ? 'updated' : 'unchanged' };
    }
    const slug = await freeSlug(manager, draft.slug);
    const created = await manager.save(
      manager.create(Dataset, {
        ...metadata,
        organizationId: scope.organizationId,
        slug,
        classification,
        status: 'draft',
        harvestSource: draft.harvestSource,
        harvestIdentifier: draft.harvestIdentifier,
        createdByUserId: actor.principal?.userId ?? null,
      }),
    );
    await refreshSearchDocument(manager, created.id);
    await this.audit.record(manager, actor, {
      action: 'dataset.created',
      targetType: 'dataset',
      targetId: created.id,
      data: { slug, titleZh: created.titleZh, classification, harvestSource: draft.harvestSource, harvestIdentifier: draft.harvestIdentifier },
    });
    return { id: created.id, slug, titleZh: created.titleZh, harvestIdentifier: draft.harvestIdentifier, outcome: 'created' };
  }
}

/** The package_search endpoint of a portal given by its base URL or the endpoint itself. */
function packageSearchUrl(input: string): string {
  const url = new URL(input);
  if (!url.pathname.endsWith('/api/3/action/package_search')) {
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/3/action/package_search`;
    url.search = '';
  }
  if (!url.searchParams.has('rows')) url.searchParams.set('rows', '1000');
  return url.toString();
}

async function freeSlug(manager: EntityManager, suggestion: string): Promise<string> {
  const base = suggestion.slice(0, 72).replace(/-+$/, '') || 'harvested';
  for (let attempt = 1; attempt < 1000; attempt += 1) {
    const slug = attempt === 1 ? base : `${base}-${attempt}`;
    if (!(await manager.exists(Dataset, { where: { slug } }))) return slug;
  }
  throw new DomainError('catalog.slug_taken', 'No free URL name for a harvested dataset.');
}
