import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiCreatedResponse, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@civic/domain';
import type { FastifyRequest } from 'fastify';
import { CurrentActor, RequirePermissions } from '../common/access.decorators.js';
import { ErrorBody } from '../common/error-body.dto.js';
import type { Actor, Principal } from '../common/principal.js';
import { uuidPipe } from '../common/uuid.pipe.js';
import { ReasonDto } from '../access/dto/access.dto.js';
import { CatalogReadService } from './catalog-read.service.js';
import { DatasetsService } from './datasets.service.js';
import {
  ColumnDto,
  CreateDatasetDto,
  DatasetDependentsDto,
  DatasetDetailDto,
  DatasetListDto,
  IngestionDto,
  IngestionListDto,
  ReclassifyDatasetDto,
  UpdateColumnsDto,
  UpdateDatasetDto,
} from './dto/catalog.dto.js';
import { toColumnDto, toIngestionDto, toSummaryDto } from './dto/mappers.js';
import { IngestionsService } from './ingestions.service.js';

type Steward = Actor & { principal: Principal };

/** An agency's own datasets: the data steward's console. */
@ApiTags('agency-datasets')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1/agency')
export class AgencyDatasetsController {
  constructor(
    private readonly datasets: DatasetsService,
    private readonly ingestions: IngestionsService,
    private readonly read: CatalogReadService,
  ) {}

  @Get('datasets')
  @RequirePermissions('datasets:manage')
  @ApiOperation({ summary: "The agency's datasets in every state (draft, published, withdrawn)." })
  @ApiOkResponse({ type: DatasetListDto })
  async list(@CurrentActor() actor: Steward): Promise<DatasetListDto> {
    const agency = await this.datasets.agency(actor.principal);
    const datasets = await this.datasets.list(actor.principal);
    const versions = new Map((await Promise.all(datasets.map((d) => this.datasets.versions(d.id)))).map((list, index) => [datasets[index]?.id, list[0] ?? null]));
    return { items: datasets.map((dataset) => toSummaryDto(dataset, agency, versions.get(dataset.id) ?? null)) };
  }

  @Post('datasets')
  @RequirePermissions('datasets:manage')
  @ApiOperation({ summary: 'Create a dataset (a draft until a file is ingested and it is published).' })
  @ApiCreatedResponse({ type: DatasetDetailDto })
  async create(@Body() body: CreateDatasetDto, @CurrentActor() actor: Steward): Promise<DatasetDetailDto> {
    const dataset = await this.datasets.create(actor, actor.principal, body);
    return this.read.detail(dataset.id, actor.principal);
  }

  @Patch('datasets/:id')
  @RequirePermissions('datasets:manage')
  @ApiOperation({ summary: 'Edit metadata (DCAT-AP fields, k).' })
  @ApiOkResponse({ type: DatasetDetailDto })
  async update(@Param('id', uuidPipe) id: string, @Body() body: UpdateDatasetDto, @CurrentActor() actor: Steward): Promise<DatasetDetailDto> {
    await this.datasets.update(actor, actor.principal, id, body);
    return this.read.detail(id, actor.principal);
  }

  @Put('datasets/:id/columns')
  @RequirePermissions('datasets:manage')
  @ApiOperation({ summary: 'Describe columns and set their sensitivity (public, quasi_identifier, personal).' })
  @ApiOkResponse({ type: [ColumnDto] })
  async columns(@Param('id', uuidPipe) id: string, @Body() body: UpdateColumnsDto, @CurrentActor() actor: Steward): Promise<ColumnDto[]> {
    return (await this.datasets.updateColumns(actor, actor.principal, id, body)).map(toColumnDto);
  }

  @Post('datasets/:id/publish')
  @HttpCode(200)
  @RequirePermissions('datasets:manage')
  @ApiOperation({ summary: 'Publish: the dataset appears in the catalog (needs an ingested version).' })
  @ApiOkResponse({ type: DatasetDetailDto })
  async publish(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Steward): Promise<DatasetDetailDto> {
    await this.datasets.publish(actor, actor.principal, id);
    return this.read.detail(id, actor.principal);
  }

  @Get('datasets/:id/dependents')
  @RequirePermissions('datasets:manage')
  @ApiOperation({
    summary:
      "Listed products built on the dataset (directly or through other products), which withdrawing it or reclassifying it stricter suspends: published ones and the agency's own by name, other organizations' unpublished ones counted.",
  })
  @ApiOkResponse({ type: DatasetDependentsDto })
  dependents(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Steward): Promise<DatasetDependentsDto> {
    return this.datasets.dependents(actor.principal, id);
  }

  @Post('datasets/:id/withdraw')
  @HttpCode(200)
  @RequirePermissions('datasets:manage')
  @ApiOperation({ summary: 'Withdraw a published dataset from the catalog, with a reason.' })
  @ApiOkResponse({ type: DatasetDetailDto })
  async withdraw(@Param('id', uuidPipe) id: string, @Body() body: ReasonDto, @CurrentActor() actor: Steward): Promise<DatasetDetailDto> {
    await this.datasets.withdraw(actor, actor.principal, id, body.reason);
    return this.read.detail(id, actor.principal);
  }

  @Post('datasets/:id/reclassify')
  @HttpCode(200)
  @RequirePermissions('datasets:manage')
  @ApiOperation({ summary: 'Change the classification, with a reason; to restricted revokes every grant.' })
  @ApiOkResponse({ type: DatasetDetailDto })
  async reclassify(@Param('id', uuidPipe) id: string, @Body() body: ReclassifyDatasetDto, @CurrentActor() actor: Steward): Promise<DatasetDetailDto> {
    await this.datasets.reclassify(actor, actor.principal, id, body);
    return this.read.detail(id, actor.principal);
  }

  @Post('datasets/:id/uploads')
  @HttpCode(202)
  @RequirePermissions('datasets:manage')
  @ApiOperation({ summary: 'Upload a CSV, JSON, NDJSON or Parquet file (multipart field "file"); it is ingested by a job.' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiAcceptedResponse({ type: IngestionDto })
  async upload(@Param('id', uuidPipe) id: string, @Req() request: FastifyRequest, @CurrentActor() actor: Steward): Promise<IngestionDto> {
    if (!request.isMultipart()) throw new DomainError('request.unsupported_media_type', 'Send the file as multipart/form-data in the field "file".');
    const part = await request.file();
    if (!part || part.fieldname !== 'file') {
      part?.file.resume();
      throw new DomainError('catalog.upload_missing', 'Send the file in the multipart field "file".', [{ field: 'file', messages: ['missing'] }]);
    }
    const ingestion = await this.ingestions.upload(actor, actor.principal, id, { filename: part.filename, stream: part.file });
    return toIngestionDto(ingestion, null);
  }

  @Get('datasets/:id/ingestions')
  @RequirePermissions('datasets:manage')
  @ApiOperation({ summary: 'Recent uploads of a dataset and how their ingestion went.' })
  @ApiOkResponse({ type: IngestionListDto })
  async ingestionsOf(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Steward): Promise<IngestionListDto> {
    return { items: (await this.ingestions.listForDataset(actor.principal, id)).map(({ ingestion, version }) => toIngestionDto(ingestion, version)) };
  }

  @Get('ingestions/:id')
  @RequirePermissions('datasets:manage')
  @ApiOperation({ summary: 'Progress and outcome of one ingestion.' })
  @ApiOkResponse({ type: IngestionDto })
  async ingestion(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Steward): Promise<IngestionDto> {
    const { ingestion, version } = await this.ingestions.get(actor.principal, id);
    return toIngestionDto(ingestion, version);
  }
}
