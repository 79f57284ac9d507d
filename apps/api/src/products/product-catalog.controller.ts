import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/access.decorators.js';
import { ErrorBody } from '../common/error-body.dto.js';
import { CatalogProductsQueryDto, ProductListDto, PublicProductDto } from './dto/products.dto.js';
import { ProductCatalogService } from './product-catalog.service.js';

/** Published products in the storefront: description, schema, sample when allowed, lineage. */
@ApiTags('catalog')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1/catalog/products')
export class ProductCatalogController {
  constructor(private readonly catalog: ProductCatalogService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Published products, newest first; `q` finds words in titles, descriptions and keywords, `theme` filters by theme.' })
  @ApiOkResponse({ type: ProductListDto })
  list(@Query() query: CatalogProductsQueryDto): Promise<ProductListDto> {
    return this.catalog.list({ theme: query.theme, q: query.q });
  }

  @Get(':ref')
  @Public()
  @ApiOperation({
    summary:
      'A published product by slug or id. A published product suspended since (a source withdrawn, a grant revoked…) answers 409 `product.suspended` with only its slug, titles and `since`.',
  })
  @ApiOkResponse({ type: PublicProductDto })
  detail(@Param('ref') ref: string): Promise<PublicProductDto> {
    return this.catalog.detail(ref);
  }
}
