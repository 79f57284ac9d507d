import { Controller, Get } from '@nestjs/common';
import { ApiDefaultResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { pendingMigrations } from '@civic/db';
import type { DataSource } from 'typeorm';
import { Public } from '../common/access.decorators.js';
import { JobProducer } from '../queues/job-producer.service.js';
import { ErrorBody } from '../common/error-body.dto.js';

@ApiTags('health')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly jobs: JobProducer,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'The process is up.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Database, Redis and migrations are ready: send traffic.' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2_000 }),
      () => this.redis(),
      () => this.migrations(),
    ]);
  }

  private async redis(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('redis');
    try {
      // A real round trip through BullMQ's own connection, bounded so a hung Redis reads as down.
      await Promise.race([
        this.jobs.queues()[0].getJobCounts('wait'),
        new Promise((_resolve, reject) => setTimeout(() => reject(new Error('redis did not answer within 2 s')), 2_000).unref()),
      ]);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async migrations(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('migrations');
    const pending = await pendingMigrations(this.dataSource);
    return pending.length === 0 ? indicator.up() : indicator.down({ pending });
  }
}
