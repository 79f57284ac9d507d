import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { JobProducer } from '../queues/job-producer.service.js';
import { STRIPE_CLIENT } from './stripe-client.js';

/**
 * Keeps the Stripe catalog in step with offers: after an offer is published, revised or retired
 * (committed), queues `payments.sync-offer`, which converges Stripe to the offer as it then stands.
 * Nothing to do without Stripe. A lost enqueue is not an error for the caller: the
 * `payments.sweep-events` sweep queues the sync of offers Stripe is behind on.
 */
@Injectable()
export class StripeCatalogSync {
  private readonly logger = new Logger(StripeCatalogSync.name);

  constructor(
    private readonly jobs: JobProducer,
    @Inject(STRIPE_CLIENT) private readonly stripe: Stripe | null,
  ) {}

  async offerChanged(offerId: string): Promise<void> {
    if (!this.stripe) return;
    await this.jobs.enqueue({ name: 'payments.sync-offer', data: { offerId } }).catch((error: unknown) => this.logger.warn({ err: error, offerId }, 'could not queue the Stripe sync of an offer'));
  }
}
