import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { QueuesModule } from '../queues/queues.module.js';
import { HealthController } from './health.controller.js';

@Module({ imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), QueuesModule], controllers: [HealthController] })
export class HealthModule {}
