import {
  addShares,
  invoiceIssuedEntry,
  paymentEntry,
  paymentTaxPart,
  resolveLineage,
  splitRevenue,
  ZERO_SHARE,
  type InvoiceFacts,
  type JournalEntryDraft,
  type RevenueShare,
  type Share,
  type SplitLeaf,
} from '@civic/domain';
import type { DataSource, EntityManager } from 'typeorm';
import type { Invoice, Payment } from '../entities/commerce.entity.js';
import { loadLineage } from '../products/lineage-store.js';
import { postJournalEntries } from './ledger-store.js';

type Queryable = Pick<DataSource | EntityManager, 'query'>;

/** Where buyers send bank transfers for offline invoices. */
export interface CollectionAccount {
  payee: string;
  bank: string;
  accountNumber: string;
}

export interface FinancePolicy {
  id: string;
  platformFeeBp: number;
  defaultRoyaltyBp: number;
  vatRateBp: number;
  note: string;
  /** Null until finance sets one. */
  collectionAccount: CollectionAccount | null;
  createdAt: Date;
}

/** The finance policy in force (the latest one). */
export async function currentFinancePolicy(db: Queryable): Promise<FinancePolicy> {
  const rows: Array<Record<string, unknown>> = await db.query(
    `SELECT id, platform_fee_bp, default_royalty_bp, vat_rate_bp, note, collection_payee, collection_bank, collection_account, created_at
       FROM finance_policies ORDER BY created_at DESC, id LIMIT 1`,
  );
  const row = rows[0];
  if (!row) throw new Error('No finance policy: the billing migration inserts one');
  return {
    id: row.id as string,
    platformFeeBp: Number(row.platform_fee_bp),
    defaultRoyaltyBp: Number(row.default_royalty_bp),
    vatRateBp: Number(row.vat_rate_bp),
    note: row.note as string,
    collectionAccount:
      row.collection_account === null
        ? null
        : { payee: row.collection_payee as string, bank: row.collection_bank as string, accountNumber: row.collection_account as string },
    createdAt: row.created_at as Date,
  };
}

interface ProductFacts {
  productId: string;
  sellerId: string;
  sellerKind: 'agency' | 'vendor';
  leaves: SplitLeaf[];
}

/**
 * Splits payments of products: loads each product's seller and the lineage of its current
 * version once, the finance policy and royalty rates once, then splits any number of amounts
 * without further queries.
 */
export class RevenueSplitter {
  private readonly products = new Map<string, ProductFacts>();
  private policy: FinancePolicy | null = null;
  private readonly rates = new Map<string, number>();

  constructor(private readonly db: Queryable) {}

  async prepare(productIds: readonly string[]): Promise<void> {
    this.policy ??= await currentFinancePolicy(this.db);
    if (this.rates.size === 0) {
      const overrides: Array<{ agency_id: string; dataset_id: string | null; royalty_bp: number }> = await this.db.query(`SELECT agency_id, dataset_id, royalty_bp FROM royalty_rates`);
      for (const row of overrides) this.rates.set(row.dataset_id ? `dataset:${row.dataset_id}` : `agency:${row.agency_id}`, Number(row.royalty_bp));
      this.rates.set('loaded', 0);
    }
    const missing = [...new Set(productIds)].filter((id) => !this.products.has(id));
    if (missing.length === 0) return;
    const rows: Array<{ id: string; organization_id: string; kind: string; current_version_id: string | null }> = await this.db.query(
      `SELECT p.id, p.organization_id, o.kind, p.current_version_id FROM products p JOIN organizations o ON o.id = p.organization_id WHERE p.id = ANY($1)`,
      [missing],
    );
    for (const row of rows) {
      let leaves: SplitLeaf[] = [];
      if (row.current_version_id) {
        const loaded = await loadLineage(this.db as EntityManager, row.current_version_id);
        const lineage = resolveLineage(row.current_version_id, loaded.lookup);
        // Several versions of one dataset are one party: merge their shares.
        const byDataset = new Map<string, { agencyId: string; share: Share }>();
        for (const leaf of lineage.leaves) {
          const found = byDataset.get(leaf.datasetId);
          byDataset.set(leaf.datasetId, { agencyId: leaf.agencyId, share: addShares(found?.share ?? ZERO_SHARE, leaf.share) });
        }
        leaves = [...byDataset].map(([datasetId, { agencyId, share }]) => ({ datasetId, agencyId, share }));
      }
      this.products.set(row.id, { productId: row.id, sellerId: row.organization_id, sellerKind: row.kind === 'agency' ? 'agency' : 'vendor', leaves });
    }
  }

  royaltyBp(leaf: SplitLeaf): number {
    return this.rates.get(`dataset:${leaf.datasetId}`) ?? this.rates.get(`agency:${leaf.agencyId}`) ?? this.policy!.defaultRoyaltyBp;
  }

  /** The shares of `amount` (the net of a payment) of a prepared product. */
  split(productId: string, amount: number, currency: string): RevenueShare[] {
    const product = this.products.get(productId);
    if (!product || !this.policy) throw new Error(`RevenueSplitter.prepare was not called for product ${productId}`);
    return splitRevenue({
      amount,
      currency,
      seller: { organizationId: product.sellerId, kind: product.sellerKind },
      leaves: product.leaves,
      platformFeeBp: this.policy.platformFeeBp,
      royaltyBp: (leaf) => this.royaltyBp(leaf),
    });
  }
}

export function invoiceFacts(invoice: Pick<Invoice, 'id' | 'number' | 'currency' | 'subtotal' | 'tax' | 'total' | 'licenseId' | 'organizationId'>, productId: string): InvoiceFacts {
  return {
    id: invoice.id,
    number: invoice.number,
    currency: invoice.currency,
    subtotal: Number(invoice.subtotal),
    tax: Number(invoice.tax),
    total: Number(invoice.total),
    licenseId: invoice.licenseId,
    productId,
    organizationId: invoice.organizationId,
  };
}

async function productOfLicense(db: Queryable, licenseId: string): Promise<string> {
  const rows: Array<{ product_id: string }> = await db.query(`SELECT product_id FROM licenses WHERE id = $1`, [licenseId]);
  if (!rows[0]) throw new Error(`Licence ${licenseId} not found`);
  return rows[0].product_id;
}

/** Posts an issued invoice to the ledger (once; an invoice of 0 posts nothing). */
export async function postInvoiceIssued(db: Queryable, invoice: Invoice): Promise<void> {
  const entry = invoiceIssuedEntry(invoiceFacts(invoice, await productOfLicense(db, invoice.licenseId)), invoice.issuedAt ?? invoice.createdAt ?? new Date());
  if (entry) await postJournalEntries(db, [entry]);
}

/** The journal entry of a payment: received, and its net split by the product's lineage. */
export async function paymentJournalEntry(db: Queryable, payment: Payment, invoice: Invoice, splitter = new RevenueSplitter(db)): Promise<JournalEntryDraft> {
  const productId = await productOfLicense(db, invoice.licenseId);
  await splitter.prepare([productId]);
  const facts = invoiceFacts(invoice, productId);
  const { net } = paymentTaxPart(Number(payment.amount), facts);
  const shares = splitter.split(productId, net, invoice.currency);
  return paymentEntry({ id: payment.id, provider: payment.provider, amount: Number(payment.amount), currency: payment.currency, reference: payment.providerReference }, facts, shares, payment.receivedAt);
}

/** Posts a payment and its revenue split to the ledger (once). */
export async function postPayment(db: Queryable, payment: Payment, invoice: Invoice): Promise<void> {
  await postJournalEntries(db, [await paymentJournalEntry(db, payment, invoice)]);
}
