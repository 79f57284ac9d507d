import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiConfig } from '@civic/config';
import { Organization, StripeConnectAccount } from '@civic/db';
import { DomainError } from '@civic/domain';
import type Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import type { AccountLinkDto, ConnectAccountDto } from '../licensing/dto/licensing.dto.js';
import { STRIPE_CLIENT } from './stripe-client.js';

/** Vendors onboard to Stripe Connect (Express) so their share can later be paid out by transfer. */
@Injectable()
export class ConnectService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ApiConfig,
    @Inject(STRIPE_CLIENT) private readonly stripe: Stripe | null,
  ) {}

  async account(organizationId: string): Promise<ConnectAccountDto> {
    const account = await this.dataSource.manager.findOneBy(StripeConnectAccount, { organizationId });
    return {
      configured: this.stripe !== null,
      accountId: account?.accountId ?? null,
      chargesEnabled: account?.chargesEnabled ?? false,
      payoutsEnabled: account?.payoutsEnabled ?? false,
      detailsSubmitted: account?.detailsSubmitted ?? false,
    };
  }

  async accountLink(organizationId: string): Promise<AccountLinkDto> {
    if (!this.stripe) throw new DomainError('payments.unavailable', 'Stripe is not configured on this platform; payouts are made by bank transfer.');
    let account = await this.dataSource.manager.findOneBy(StripeConnectAccount, { organizationId });
    if (!account) {
      const organization = await this.dataSource.manager.findOneByOrFail(Organization, { id: organizationId });
      const created = await this.stripe.accounts.create({ type: 'express', metadata: { organizationId, slug: organization.slug } }, { idempotencyKey: `connect-${organizationId}` });
      await this.dataSource.query(`INSERT INTO stripe_connect_accounts (organization_id, account_id) VALUES ($1, $2) ON CONFLICT (organization_id) DO NOTHING`, [organizationId, created.id]);
      account = await this.dataSource.manager.findOneByOrFail(StripeConnectAccount, { organizationId });
    }
    const web = this.config.PUBLIC_WEB_URL.replace(/\/$/, '');
    const link = await this.stripe.accountLinks.create({
      account: account.accountId,
      type: 'account_onboarding',
      refresh_url: `${web}/console/payouts?onboarding=refresh`,
      return_url: `${web}/console/payouts?onboarding=done`,
    });
    return { url: link.url };
  }
}
