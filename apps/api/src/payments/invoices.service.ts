import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { activateForPaidInvoice, Invoice, License, recordPayment } from '@civic/db';
import { DomainError } from '@civic/domain';
import type { DataSource, FindOptionsWhere } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, Principal } from '../common/principal.js';
import type { InvoiceDto, InvoicesQueryDto, MarkPaidDto } from '../licensing/dto/licensing.dto.js';
import { LicenseViews } from '../licensing/license-views.service.js';

/**
 * Invoices: buyers see their own; government finance sees all and records bank transfers
 * against offline invoices, which puts the licence in force.
 */
@Injectable()
export class InvoicesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly views: LicenseViews,
    private readonly audit: AuditService,
  ) {}

  async list(scope: { organizationId: string } | 'all', query: InvoicesQueryDto): Promise<InvoiceDto[]> {
    const where: FindOptionsWhere<Invoice> = {
      ...(scope === 'all' ? {} : { organizationId: scope.organizationId }),
      ...(query.status ? { status: query.status } : {}),
      ...(query.provider ? { provider: query.provider } : {}),
      ...(query.licenseId ? { licenseId: query.licenseId } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
    };
    return this.views.invoices(await this.dataSource.manager.find(Invoice, { where, order: { createdAt: 'DESC' }, take: 1000 }));
  }

  async get(scope: { organizationId: string } | 'all', id: string): Promise<InvoiceDto> {
    const invoice = await this.dataSource.manager.findOneBy(Invoice, scope === 'all' ? { id } : { id, organizationId: scope.organizationId });
    if (!invoice) throw new DomainError('billing.invoice_not_found', 'Invoice not found.');
    return (await this.views.invoices([invoice]))[0] as InvoiceDto;
  }

  /** Records a bank transfer for an offline invoice. Repeating it with the same reference changes nothing. */
  async markPaid(actor: Actor, principal: Principal, id: string, input: MarkPaidDto): Promise<InvoiceDto> {
    const receivedAt = new Date(input.receivedAt);
    if (Number.isNaN(receivedAt.getTime()) || receivedAt.getTime() > Date.now() + 5 * 60_000) {
      throw new DomainError('request.invalid', 'receivedAt must be a date that is not in the future.', [{ field: 'receivedAt', messages: ['not in the future'] }]);
    }
    await this.dataSource.transaction(async (manager) => {
      const invoice = await manager.findOne(Invoice, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!invoice) throw new DomainError('billing.invoice_not_found', 'Invoice not found.');
      if (invoice.kind === 'credit_note') throw new DomainError('billing.credit_note_not_payable', 'A credit note is not paid: it is set against the licence’s invoices or refunded.');
      if (invoice.provider !== 'offline') throw new DomainError('billing.not_offline', 'This invoice is collected by Stripe; it cannot be marked paid by hand.');
      const duplicate: Array<{ invoice_id: string }> = await manager.query(`SELECT invoice_id FROM payments WHERE provider = 'offline' AND provider_reference = $1`, [input.reference]);
      if (duplicate[0]) {
        if (duplicate[0].invoice_id === id) return;
        throw new DomainError('billing.duplicate_reference', 'This bank reference is already recorded against another invoice.');
      }
      if (invoice.status !== 'open') throw new DomainError('billing.invoice_not_open', `This invoice is ${invoice.status}.`);
      // A transfer dated a year or more before its invoice is a mistyped date, not an advance payment.
      const issued = invoice.issuedAt ?? invoice.createdAt;
      const earliest = new Date(issued.getTime() - 365 * 86_400_000);
      if (receivedAt < earliest) {
        throw new DomainError('request.invalid', `receivedAt cannot be a year or more before the invoice was issued (${issued.toISOString().slice(0, 10)}).`, [
          { field: 'receivedAt', messages: [`not before ${earliest.toISOString()}`], context: { earliest: earliest.toISOString() } },
        ]);
      }
      const due = invoice.total - invoice.amountPaid - invoice.amountCredited;
      if (input.amount !== due) throw new DomainError('billing.amount_mismatch', `The amount received must equal the amount due (${due} minor units of ${invoice.currency}).`, [{ due, received: input.amount }]);
      await recordPayment(manager, { invoice, provider: 'offline', reference: input.reference, amount: input.amount, receivedAt, recordedByUserId: principal.userId, note: input.note ?? '' });
      const paid = await manager.findOneByOrFail(Invoice, { id });
      const license = await manager.findOneByOrFail(License, { id: paid.licenseId });
      await this.audit.record(manager, actor, { action: 'invoice.paid', targetType: 'invoice', targetId: id, data: { number: paid.number, amount: input.amount, currency: paid.currency, reference: input.reference } });
      await this.audit.record(manager, actor, { action: 'invoice.paid', organizationId: paid.organizationId, targetType: 'invoice', targetId: id, data: { number: paid.number, amount: input.amount, currency: paid.currency } });
      if (['pending_payment', 'active', 'past_due', 'suspended'].includes(license.state)) {
        await activateForPaidInvoice(
          manager,
          paid,
          { source: 'user', actorUserId: principal.userId, actorOrganizationId: principal.organizationId, ip: actor.ip, requestId: actor.requestId },
        );
      }
    });
    return this.get('all', id);
  }
}
