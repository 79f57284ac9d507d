import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ApiConfig } from '@civic/config';
import { QUEUES, queuePrefix } from '@civic/jobs';
import { FLOW_PRODUCER, JobProducer } from './job-producer.service.js';

const queueNames = Object.values(QUEUES);

/** Producer side of the queues: the API enqueues, the worker processes. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [ApiConfig],
      useFactory: (config: ApiConfig) => ({
        connection: { url: config.REDIS_URL, maxRetriesPerRequest: null, enableOfflineQueue: false },
        prefix: queuePrefix(config.QUEUE_PREFIX),
      }),
    }),
    BullModule.registerQueue(...queueNames.map((name) => ({ name }))),
    BullModule.registerFlowProducer({ name: FLOW_PRODUCER }),
  ],
  providers: [JobProducer],
  exports: [JobProducer, BullModule],
})
export class QueuesModule {}
