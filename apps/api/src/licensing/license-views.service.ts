import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { currentFinancePolicy, givenBackSql, Invoice, InvoiceLine, License, LicenseApproval, LicenseEvent, Offer, Organization, Product, User } from '@civic/db';
import { In, type DataSource } from 'typeorm';
import type { InvoiceDto, LicenseDto } from './dto/licensing.dto.js';
import { licenceText, priceText } from './license-text.js';

/** Builds licence and invoice views in a fixed number of queries, whatever the list length. */
@Injectable()
export class LicenseViews {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async licenses(licenses: License[], options: { history?: boolean } = {}): Promise<LicenseDto[]> {
    if (licenses.length === 0) return [];
    const manager = this.dataSource.manager;
    const ids = licenses.map((license) => license.id);
    const [products, organizations, offers, users, approvals, events, invoices] = await Promise.all([
      manager.find(Product, { where: { id: In([...new Set(licenses.map((l) => l.productId))]) } }),
      manager.find(Organization, { where: { id: In([...new Set(licenses.flatMap((l) => [l.organizationId, l.vendorId]))]) } }),
      manager.find(Offer, { where: { id: In([...new Set(licenses.map((l) => l.offerId))]) } }),
      manager.find(User, { where: { id: In([...new Set(licenses.map((l) => l.acceptedByUserId))]) }, select: { id: true, email: true } }),
      manager.find(LicenseApproval, { where: { licenseId: In(ids) } }),
      options.history ? manager.find(LicenseEvent, { where: { licenseId: In(ids) }, order: { id: 'ASC' } }) : Promise.resolve([]),
      options.history ? manager.find(Invoice, { where: { licenseId: In(ids) }, order: { createdAt: 'ASC' } }) : Promise.resolve([]),
    ]);
    const approverIds = approvals.map((a) => a.organizationId).filter((id) => !organizations.some((org) => org.id === id));
    const moreOrgs = approverIds.length ? await manager.find(Organization, { where: { id: In([...new Set(approverIds)]) } }) : [];
    const actorIds = [...new Set(events.flatMap((event) => (event.actorUserId ? [event.actorUserId] : [])))];
    const actors = actorIds.length ? await manager.find(User, { where: { id: In(actorIds) }, select: { id: true, email: true } }) : [];
    const productById = new Map(products.map((p) => [p.id, p]));
    const orgById = new Map([...organizations, ...moreOrgs].map((o) => [o.id, o]));
    const offerById = new Map(offers.map((o) => [o.id, o]));
    const emailById = new Map([...users, ...actors].map((u) => [u.id, u.email]));
    const invoiceDtos = await this.invoices(invoices);
    return licenses.map((license) => {
      const product = productById.get(license.productId) as Product;
      const offer = offerById.get(license.offerId) as Offer;
      const terms = license.terms as { policy?: unknown };
      return {
        id: license.id,
        buyer: orgRef(orgById.get(license.organizationId)),
        seller: orgRef(orgById.get(license.vendorId)),
        product: { id: product.id, slug: product.slug, titleZh: product.titleZh, titleEn: product.titleEn },
        offerId: license.offerId,
        offerNameZh: offer.nameZh,
        offerNameEn: offer.nameEn,
        offerRevision: license.offerRevision,
        state: license.state,
        provider: license.provider,
        pricePlan: license.pricePlan as never,
        priceText: priceText(license.pricePlan),
        terms: license.terms,
        termsSha256: license.termsSha256,
        text: licenceText(terms.policy),
        purpose: license.purpose,
        purposeDetail: license.purposeDetail,
        intendedUse: license.intendedUse,
        acceptedByEmail: emailById.get(license.acceptedByUserId) ?? null,
        acceptedAt: license.acceptedAt.toISOString(),
        acceptedIp: license.acceptedIp,
        currentPeriodStart: license.currentPeriodStart?.toISOString() ?? null,
        currentPeriodEnd: license.currentPeriodEnd?.toISOString() ?? null,
        trialEndsAt: license.trialEndsAt?.toISOString() ?? null,
        cancelAtPeriodEnd: license.cancelAtPeriodEnd,
        expiresAt: license.expiresAt?.toISOString() ?? null,
        activatedAt: license.activatedAt?.toISOString() ?? null,
        endedAt: license.endedAt?.toISOString() ?? null,
        endReason: license.endReason,
        approvals: approvals
          .filter((approval) => approval.licenseId === license.id)
          .map((approval) => ({
            approverKind: approval.approverKind,
            organization: orgRef(orgById.get(approval.organizationId)),
            decision: approval.decision,
            reason: approval.reason,
            decidedAt: approval.decidedAt?.toISOString() ?? null,
          })),
        events: events
          .filter((event) => event.licenseId === license.id)
          .map((event) => ({
            event: event.event,
            fromState: event.fromState,
            toState: event.toState,
            source: event.source,
            actorEmail: event.actorUserId ? (emailById.get(event.actorUserId) ?? null) : null,
            details: event.details,
            occurredAt: event.occurredAt.toISOString(),
          })),
        invoices: invoiceDtos.filter((invoice) => invoice.licenseId === license.id),
        createdAt: license.createdAt.toISOString(),
      };
    });
  }

  async invoices(invoices: Invoice[]): Promise<InvoiceDto[]> {
    if (invoices.length === 0) return [];
    const manager = this.dataSource.manager;
    const [lines, licenses, organizations, payments, credits] = await Promise.all([
      manager.find(InvoiceLine, { where: { invoiceId: In(invoices.map((i) => i.id)) }, order: { position: 'ASC' } }),
      manager.find(License, { where: { id: In([...new Set(invoices.map((i) => i.licenseId))]) } }),
      manager.find(Organization, { where: { id: In([...new Set(invoices.map((i) => i.organizationId))]) } }),
      manager.query(
        `SELECT p.id, p.invoice_id, p.provider, p.provider_reference, p.amount::text, p.received_at, ${givenBackSql('p.id')}::text AS refunded
           FROM payments p WHERE p.invoice_id = ANY($1) ORDER BY p.received_at`,
        [invoices.map((i) => i.id)],
      ) as Promise<Array<{ id: string; invoice_id: string; provider: string; provider_reference: string; amount: string; received_at: Date; refunded: string }>>,
      manager.query(
        `SELECT a.credit_note_id, n.number AS credit_note_number, a.invoice_id, i.number AS invoice_number, a.refund_id, a.amount::text, a.applied_at
           FROM credit_applications a JOIN invoices n ON n.id = a.credit_note_id LEFT JOIN invoices i ON i.id = a.invoice_id
          WHERE a.credit_note_id = ANY($1) OR a.invoice_id = ANY($1) ORDER BY a.applied_at, a.created_at`,
        [invoices.map((i) => i.id)],
      ) as Promise<Array<{ credit_note_id: string; credit_note_number: string; invoice_id: string | null; invoice_number: string | null; refund_id: string | null; amount: string; applied_at: Date }>>,
    ]);
    const products = await manager.find(Product, { where: { id: In([...new Set(licenses.map((l) => l.productId))]) } });
    const licenseById = new Map(licenses.map((l) => [l.id, l]));
    const productById = new Map(products.map((p) => [p.id, p]));
    const orgById = new Map(organizations.map((o) => [o.id, o]));
    // Open offline invoices are paid to the collection account in force now.
    const collectionAccount = invoices.some((invoice) => invoice.provider === 'offline' && invoice.status === 'open') ? (await currentFinancePolicy(manager)).collectionAccount : null;
    const now = Date.now();
    return invoices.map((invoice) => {
      const product = productById.get(licenseById.get(invoice.licenseId)?.productId ?? '') as Product;
      return {
        id: invoice.id,
        number: invoice.number,
        buyer: orgRef(orgById.get(invoice.organizationId)),
        licenseId: invoice.licenseId,
        product: { id: product.id, slug: product.slug, titleZh: product.titleZh, titleEn: product.titleEn },
        provider: invoice.provider,
        kind: invoice.kind,
        status: invoice.status,
        currency: invoice.currency,
        total: invoice.total,
        subtotal: invoice.subtotal,
        tax: invoice.tax,
        taxRateBp: invoice.taxRateBp,
        amountPaid: invoice.amountPaid,
        amountRefunded: invoice.amountRefunded,
        amountCredited: invoice.amountCredited,
        amountDue: invoice.status === 'open' ? invoice.total - invoice.amountPaid - invoice.amountCredited : 0,
        credits: credits
          .filter((credit) => credit.credit_note_id === invoice.id || credit.invoice_id === invoice.id)
          .map((credit) => ({
            creditNoteId: credit.credit_note_id,
            creditNoteNumber: credit.credit_note_number,
            invoiceId: credit.invoice_id,
            invoiceNumber: credit.invoice_number,
            refundId: credit.refund_id,
            amount: Number(credit.amount),
            appliedAt: credit.applied_at.toISOString(),
          })),
        payments: payments
          .filter((payment) => payment.invoice_id === invoice.id)
          .map((payment) => ({ id: payment.id, provider: payment.provider, reference: payment.provider_reference, amount: Number(payment.amount), refunded: Number(payment.refunded), receivedAt: payment.received_at.toISOString() })),
        periodStart: invoice.periodStart?.toISOString() ?? null,
        periodEnd: invoice.periodEnd?.toISOString() ?? null,
        issuedAt: invoice.issuedAt?.toISOString() ?? null,
        dueAt: invoice.dueAt?.toISOString() ?? null,
        paidAt: invoice.paidAt?.toISOString() ?? null,
        overdue: invoice.status === 'open' && invoice.kind !== 'credit_note' && invoice.dueAt !== null && invoice.dueAt.getTime() < now,
        lines: lines
          .filter((line) => line.invoiceId === invoice.id)
          .map((line) => ({
            kind: line.kind,
            descriptionZh: line.descriptionZh,
            descriptionEn: line.descriptionEn,
            quantity: line.quantity,
            unitAmount: line.unitAmount,
            amount: line.amount,
          })),
        paymentInstructions:
          invoice.provider === 'offline' && invoice.status === 'open' && invoice.kind !== 'credit_note'
            ? {
                method: 'bank_transfer' as const,
                reference: invoice.number,
                amount: invoice.total - invoice.amountPaid - invoice.amountCredited,
                currency: invoice.currency,
                payee: collectionAccount?.payee ?? null,
                bank: collectionAccount?.bank ?? null,
                accountNumber: collectionAccount?.accountNumber ?? null,
              }
            : null,
        payOnlineUrl: invoice.provider === 'stripe' && invoice.status === 'open' ? invoice.stripeHostedInvoiceUrl : null,
      };
    });
  }
}

function orgRef(org: Organization | undefined): { id: string; slug: string; name: string } {
  return org ? { id: org.id, slug: org.slug, name: org.name } : { id: '', slug: '', name: '' };
}
