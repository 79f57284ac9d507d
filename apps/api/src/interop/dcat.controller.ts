import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { toDcatCatalog } from '@civic/domain';
import { Public } from '../common/access.decorators.js';
import { CatalogViewService } from './catalog-view.service.js';

/** Largest number of datasets one catalog document lists. */
const CATALOG_LIMIT = 10_000;

/** The published catalog as DCAT-AP 3 JSON-LD, for national portals and harvesters. */
@ApiTags('dcat')
@Controller()
export class DcatController {
  constructor(private readonly views: CatalogViewService) {}

  @Get('catalog.jsonld')
  @Public()
  @Header('content-type', 'application/ld+json; charset=utf-8')
  @ApiOperation({ summary: 'The catalog as DCAT-AP 3 JSON-LD (Catalog, Dataset, Distribution, DataService).' })
  @ApiProduces('application/ld+json')
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: true } })
  async catalog(): Promise<unknown> {
    const datasets = await this.views.views(await this.views.publishedIds(CATALOG_LIMIT));
    return toDcatCatalog(datasets, this.views.links, {
      title: { zh: '城市公共数据开放目录', en: 'City public data catalog' },
      description: {
        zh: '城市政府部门在监管下开放的数据集：无条件开放、有条件开放与受限数据。',
        en: 'Datasets city agencies open under supervision: open, conditional and restricted.',
      },
      publisherName: '城市公共数据平台 City Public Data Platform',
    });
  }
}
