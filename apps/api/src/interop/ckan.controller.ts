import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ckanEnvelope, ckanError, DomainError, isDomainError, parseCkanSearch, toCkanPackage, toCkanSearchResult } from '@civic/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../common/access.decorators.js';
import { CatalogSearchService } from '../catalog/catalog-search.service.js';
import { CatalogReadService } from '../catalog/catalog-read.service.js';
import { CatalogViewService } from './catalog-view.service.js';

const CKAN_ENVELOPE = { type: 'object', properties: { help: { type: 'string' }, success: { type: 'boolean' }, result: {} } };
type Query = Record<string, string | string[] | undefined>;

/**
 * A read-only CKAN 2.10 Action API over the published catalog, in CKAN's response shapes, so
 * CKAN clients and harvesters can read this catalog. Errors use CKAN's body too
 * (`success: false`, 404 Not Found Error, 409 Validation Error).
 */
@ApiTags('ckan')
@Controller('api/3/action')
export class CkanController {
  constructor(
    private readonly search: CatalogSearchService,
    private readonly read: CatalogReadService,
    private readonly views: CatalogViewService,
  ) {}

  private help(action: string): string {
    return `${this.views.apiDocs}#/ckan/Ckan_${action.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase())}`;
  }

  private async answer(reply: FastifyReply, action: string, work: () => Promise<unknown>): Promise<unknown> {
    try {
      return ckanEnvelope(await work(), this.help(action));
    } catch (error) {
      if (!isDomainError(error) || !['validation', 'not_found'].includes(error.kind)) throw error;
      const notFound = error.kind === 'not_found';
      void reply.status(notFound ? 404 : 409);
      const details = Array.isArray(error.details) ? ` (${error.details.map((d: { field?: string }) => d.field).join(', ')})` : '';
      return ckanError(notFound ? 'Not Found Error' : 'Validation Error', `${error.message}${details}`, this.help(action));
    }
  }

  @Get('package_search')
  @Public()
  @ApiOperation({ summary: 'CKAN package_search: q, fq, rows, start, sort, facet.field.' })
  @ApiQuery({ name: 'q', required: false, type: String })
  @ApiQuery({ name: 'fq', required: false, type: String })
  @ApiQuery({ name: 'rows', required: false, type: String })
  @ApiQuery({ name: 'start', required: false, type: String })
  @ApiQuery({ name: 'sort', required: false, type: String })
  @ApiQuery({ name: 'facet.field', required: false, type: String })
  @ApiOkResponse({ schema: CKAN_ENVELOPE })
  packageSearch(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    return this.answer(reply, 'package_search', async () => {
      // CKAN's parameters (fq, facet.field, …) are parsed by the domain's CKAN parser, not DTOs.
      const parsed = parseCkanSearch(request.query as Query);
      const words = [parsed.q, ...(parsed.filters.tags ?? [])].filter(Boolean).join(' ');
      const found = await this.search.find({
        q: words || undefined,
        theme: parsed.filters.theme,
        agency: parsed.filters.agency,
        classification: parsed.filters.classification,
        format: parsed.filters.format,
        updateFrequency: parsed.filters.updateFrequency,
        sort: parsed.sort,
        offset: parsed.start,
        limit: parsed.rows,
      });
      const facets = found.facets.filter((facet) => parsed.facetFields.includes(facet.field));
      return toCkanSearchResult({ count: found.total, datasets: await this.views.views(found.ids), links: this.views.links, sort: parsed.sort, facets });
    });
  }

  @Get('package_show')
  @Public()
  @ApiOperation({ summary: 'CKAN package_show: one published dataset by id or name.' })
  @ApiQuery({ name: 'id', required: true, type: String })
  @ApiOkResponse({ schema: CKAN_ENVELOPE })
  packageShow(@Query('id') id: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    return this.answer(reply, 'package_show', async () => {
      if (!id || typeof id !== 'string') throw new DomainError('request.invalid', 'Missing value', [{ field: 'id', messages: ['required'] }]);
      const dataset = await this.read.find(id, null);
      const [view] = await this.views.views([dataset.id]);
      if (!view) throw new DomainError('catalog.not_found', 'Not found');
      return toCkanPackage(view, this.views.links);
    });
  }

  @Get('organization_list')
  @Public()
  @ApiOperation({ summary: 'CKAN organization_list: publishing agencies (names, or objects with all_fields=true).' })
  @ApiQuery({ name: 'all_fields', required: false, type: String })
  @ApiOkResponse({ schema: CKAN_ENVELOPE })
  organizationList(@Query('all_fields') allFields: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    return this.answer(reply, 'organization_list', async () => {
      const agencies = await this.views.agencies();
      if (allFields !== 'true' && allFields !== '1') return agencies.map((agency) => agency.slug);
      return agencies.map((agency) => ({
        id: agency.id,
        name: agency.slug,
        title: agency.name,
        display_name: agency.name,
        type: 'organization',
        is_organization: true,
        state: 'active',
        package_count: agency.packageCount,
        created: agency.createdAt.toISOString().replace('Z', ''),
      }));
    });
  }

  @Get('tag_list')
  @Public()
  @ApiOperation({ summary: 'CKAN tag_list: keywords of published datasets (query = prefix).' })
  @ApiQuery({ name: 'query', required: false, type: String })
  @ApiOkResponse({ schema: CKAN_ENVELOPE })
  tagList(@Query('query') prefix: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    return this.answer(reply, 'tag_list', async () => {
      if (prefix !== undefined && (typeof prefix !== 'string' || prefix.length > 100)) {
        throw new DomainError('request.invalid', 'Invalid query', [{ field: 'query', messages: ['at most 100 characters'] }]);
      }
      return this.views.tags(prefix, 1000);
    });
  }
}
