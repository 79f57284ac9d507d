import { Controller, Headers, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiConfig } from '@civic/config';
import { DomainError } from '@civic/domain';
import type { FastifyRequest } from 'fastify';
import { storeProviderEvent } from '@civic/payments';
import Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import { Public } from '../common/access.decorators.js';
import { JobProducer } from '../queues/job-producer.service.js';
import { STRIPE_CLIENT } from './stripe-client.js';

export const STRIPE_WEBHOOK_PATH = '/api/v1/payments/stripe/webhook';

/**
 * Stripe's webhook: the signature is verified on the raw body (a bad or stale one is a 400 and
 * changes nothing), the event is stored once by its id and queued, and Stripe gets its 2xx at
 * once. The worker applies it by re-reading the object from Stripe, so order does not matter.
 */
@Controller('api/v1/payments/stripe')
export class StripeWebhookController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ApiConfig,
    private readonly jobs: JobProducer,
    @Inject(STRIPE_CLIENT) private readonly stripe: Stripe | null,
  ) {}

  @Post('webhook')
  @HttpCode(200)
  @Public()
  @ApiExcludeEndpoint()
  async receive(@Req() request: FastifyRequest & { rawBody?: Buffer }, @Headers('stripe-signature') signature: string | undefined): Promise<{ received: true; duplicate: boolean }> {
    if (!this.stripe || !this.config.STRIPE_WEBHOOK_SECRET) throw new DomainError('request.not_found', 'Stripe is not configured on this platform.');
    if (!request.rawBody || !signature) throw new DomainError('payments.invalid_signature', 'A signed Stripe event is expected.');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(request.rawBody, signature, this.config.STRIPE_WEBHOOK_SECRET);
    } catch (error) {
      throw new DomainError('payments.invalid_signature', error instanceof Error ? error.message : 'The signature does not match.');
    }
    const object = event.data.object as { id?: string };
    const stored = await storeProviderEvent(this.dataSource, { id: event.id, type: event.type, created: event.created, objectId: object.id ?? null }, 'webhook');
    if (stored.pending) {
      // A lost enqueue is caught by the sweep, which re-queues stored events never applied.
      await this.jobs.enqueue({ name: 'payments.provider-event', data: { provider: 'stripe', eventId: event.id } }).catch(() => undefined);
    }
    return { received: true, duplicate: !stored.stored };
  }
}
