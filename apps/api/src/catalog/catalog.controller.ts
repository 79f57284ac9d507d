import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, OptionalPrincipal, Public } from '../common/access.decorators.js';
import { ErrorBody } from '../common/error-body.dto.js';
import type { Actor, Principal } from '../common/principal.js';
import { CatalogReadService } from './catalog-read.service.js';
import { CatalogSearchService } from './catalog-search.service.js';
import {
  DatasetDetailDto,
  DatasetSearchResultDto,
  DatasetVersionListDto,
  DownloadQueryDto,
  PreviewDto,
  SearchDatasetsQueryDto,
} from './dto/catalog.dto.js';
import { toVersionDto } from './dto/mappers.js';

/** The public catalog: anyone may search and read; rows follow the supervised-opening rules. */
@ApiTags('catalog')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1/catalog/datasets')
export class CatalogController {
  constructor(
    private readonly search: CatalogSearchService,
    private readonly read: CatalogReadService,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Search published datasets (Chinese or English), with facets, sorting and paging.' })
  @ApiOkResponse({ type: DatasetSearchResultDto })
  find(@Query() query: SearchDatasetsQueryDto): Promise<DatasetSearchResultDto> {
    return this.search.search(query);
  }

  @Get(':ref')
  @Public()
  @ApiOperation({ summary: 'A dataset by id or slug: metadata, schema with sensitivity, current version and profile.' })
  @ApiOkResponse({ type: DatasetDetailDto })
  detail(@Param('ref') ref: string, @OptionalPrincipal() principal: Principal | null): Promise<DatasetDetailDto> {
    return this.read.detail(ref, principal);
  }

  @Get(':ref/versions')
  @Public()
  @ApiOperation({ summary: 'Version history, newest first, with the schema changes of each version.' })
  @ApiOkResponse({ type: DatasetVersionListDto })
  async versions(@Param('ref') ref: string, @OptionalPrincipal() principal: Principal | null): Promise<DatasetVersionListDto> {
    return { items: (await this.read.versions(ref, principal)).map(toVersionDto) };
  }

  @Get(':ref/preview')
  @Public()
  @ApiOperation({ summary: 'The first rows of an open dataset (conditional and restricted data show schema and profile only).' })
  @ApiOkResponse({ type: PreviewDto })
  preview(@Param('ref') ref: string, @CurrentActor() actor: Actor): Promise<PreviewDto> {
    return this.read.preview(ref, actor);
  }

  @Get(':ref/download')
  @Public()
  @ApiOperation({
    summary: 'Download the current version as CSV or Parquet: open data for anyone, conditional data with a grant in force; restricted never. Every download is recorded.',
  })
  @ApiProduces('text/csv', 'application/vnd.apache.parquet')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async download(@Param('ref') ref: string, @Query() query: DownloadQueryDto, @CurrentActor() actor: Actor): Promise<StreamableFile> {
    const delivery = await this.read.download(ref, actor, query.format ?? 'csv', { bom: query.bom === true });
    return new StreamableFile(delivery.stream, {
      type: delivery.contentType,
      length: delivery.bytes,
      disposition: `attachment; filename="${delivery.filename}"`,
    });
  }
}
