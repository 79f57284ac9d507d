import { LicenseTemplate, Offer, Product } from '@civic/db';
import type { PricePlan } from '@civic/domain';
import type Stripe from 'stripe';
import type { DataSource } from 'typeorm';

/** What a plan asks before use: the one-time fee, or the fixed fee of each period (subscription, hybrid); nothing for free and metered plans. */
export interface UpfrontFee {
  amount: number;
  interval: 'month' | 'year' | null;
}

export function upfrontFee(plan: PricePlan): UpfrontFee {
  switch (plan.kind) {
    case 'one_time':
      return { amount: plan.amount, interval: null };
    case 'subscription':
    case 'hybrid':
      return { amount: plan.amount, interval: plan.interval };
    default:
      return { amount: 0, interval: null };
  }
}

/** What a plan decides of a Stripe Price (and of a Checkout line's `price_data`): currency, amount, recurrence. */
export interface StripePriceTerms {
  currency: string;
  unit_amount: number;
  recurring?: { interval: 'month' | 'year' };
}

/**
 * The Stripe Price terms of a plan's up-front fee, or null when nothing is due up front (free and
 * metered plans: their use is billed later through our invoices). Trial days are the Checkout
 * Session's, not the Price's.
 */
export function stripePriceTerms(plan: PricePlan): StripePriceTerms | null {
  const fee = upfrontFee(plan);
  if (fee.amount <= 0) return null;
  return { currency: plan.currency.toLowerCase(), unit_amount: fee.amount, ...(fee.interval ? { recurring: { interval: fee.interval } } : {}) };
}

/** The lookup key of the Stripe Price of one revision of an offer. */
export function offerPriceLookupKey(offerId: string, revision: number): string {
  return `offer_${offerId}_r${revision}`;
}

/** The id the platform gives the Stripe Product of a product (Stripe accepts our own ids), so it can be found again by id. */
export function stripeProductIdFor(productId: string): string {
  return `civic_product_${productId}`;
}

/** The Stripe Product's name: both titles (Chinese first), or the one title when they are the same; at most 250 characters, as Stripe allows. */
export function stripeProductName(product: Pick<Product, 'titleZh' | 'titleEn'>): string {
  const zh = product.titleZh.trim();
  const en = product.titleEn.trim();
  const name = !zh || zh === en ? en : !en ? zh : `${zh} / ${en}`;
  return Array.from(name).slice(0, 250).join('');
}

export interface OfferSyncOutcome {
  /**
   * `on_sale`: the current revision's Price is active and stored on the offer; `nothing_due_up_front`:
   * published, but the plan needs no Price (free, metered); `not_on_sale`: a draft or retired offer,
   * none of its Prices active.
   */
  action: 'on_sale' | 'nothing_due_up_front' | 'not_on_sale' | 'unknown_offer';
  offerId: string;
  revision?: number;
  priceId?: string;
  stripeProductId?: string;
  /** Prices turned inactive by this run (superseded revisions, or all of a retired offer's). */
  deactivated: string[];
}

export interface ProductSyncOutcome {
  action: 'unchanged' | 'renamed' | 'not_in_stripe' | 'unknown_product';
  productId: string;
  stripeProductId?: string;
}

/** Lookup keys a Stripe price list accepts per call. */
const LOOKUP_KEYS_PER_LIST = 10;
/** How often a sync starts again when the offer or product changed while Stripe was being called. */
const MAX_ROUNDS = 3;

/**
 * The Stripe catalog mirrors what is sold: one Stripe Product per product (our own id, metadata
 * `productId`, named after its titles) and one Price per offer revision (lookup key
 * `offer_<id>_r<revision>`, metadata `offerId` and `revision`), active while that revision is the
 * published offer. `syncOffer` converges Stripe to the offer as it stands, `lineItemFor` is what
 * Checkout sells a licence at.
 *
 * Idempotent and safe to run concurrently: the Product is found by its id and the Price by its
 * lookup key before either is created; creates carry idempotency keys derived from them, and a
 * create that loses a race finds the winner's object; the price id is stored only for the
 * revision and state it was made for.
 */
export class StripeCatalog {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stripe: Stripe,
  ) {}

  /**
   * Converges Stripe to the offer: published with a fee up front → its product's Stripe Product
   * (named after the titles) and the current revision's active Price, stored on the offer; every
   * other active Price of the offer (superseded revisions; all of them once the offer is retired)
   * deactivated. If the offer changed while this ran, it converges again to the newer state.
   */
  async syncOffer(offerId: string): Promise<OfferSyncOutcome> {
    const deactivated: string[] = [];
    let outcome: OfferSyncOutcome = { action: 'unknown_offer', offerId, deactivated };
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const offer = await this.dataSource.manager.findOneBy(Offer, { id: offerId });
      if (!offer) break;
      outcome = { ...(await this.convergeOffer(offer, deactivated)), deactivated };
      const after = await this.dataSource.manager.findOneBy(Offer, { id: offerId });
      if (!after || (after.status === offer.status && after.revision === offer.revision)) break;
    }
    return outcome;
  }

  /** Renames the product's Stripe Product after its titles (it is created by the first offer sync, not here). */
  async syncProduct(productId: string): Promise<ProductSyncOutcome> {
    let stripeProduct: Stripe.Product | null = null;
    let renamed = false;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const product = await this.dataSource.manager.findOneBy(Product, { id: productId });
      if (!product) return { action: 'unknown_product', productId };
      if (!product.stripeProductId) return { action: 'not_in_stripe', productId };
      stripeProduct ??= await this.stripe.products.retrieve(product.stripeProductId);
      const name = stripeProductName(product);
      if (stripeProduct.name === name) break;
      // Read the titles again after renaming: a title changed meanwhile is caught by the next round.
      stripeProduct = await this.stripe.products.update(product.stripeProductId, { name });
      renamed = true;
    }
    return { action: renamed ? 'renamed' : 'unchanged', productId, ...(stripeProduct ? { stripeProductId: stripeProduct.id } : {}) };
  }

  /**
   * The Checkout line that sells a licence of `revision` of the offer at its snapshotted `plan`.
   * While the offer is published, the Price the sync stored for that revision; else, for the
   * published revision, its Price found or created now (the sync may not have run yet). A licence accepted under terms no longer on sale (a later
   * revision was published, or the offer was retired) pays its own amounts inline, as the catalog
   * keeps only what is on sale active.
   */
  async lineItemFor(offer: Offer, revision: number, plan: PricePlan): Promise<Stripe.Checkout.SessionCreateParams.LineItem> {
    const terms = stripePriceTerms(plan);
    if (!terms) throw new Error(`Offer ${offer.id} revision ${revision} asks nothing up front; there is nothing to check out`);
    if (offer.status === 'published') {
      if (offer.stripePriceRevision === revision && offer.stripePriceId) return { price: offer.stripePriceId, quantity: 1 };
      const current = offer.revision === revision ? stripePriceTerms(offer.pricePlan as unknown as PricePlan) : null;
      if (current) return { price: (await this.ensurePrice(offer, current)).id, quantity: 1 };
    }
    return { price_data: { ...terms, product: await this.ensureProduct(offer.productId) }, quantity: 1 };
  }

  /** The Stripe Product of a product: the one stored, else found by our id, else created; stored on the product. */
  async ensureProduct(productId: string): Promise<string> {
    const product = await this.dataSource.manager.findOneByOrFail(Product, { id: productId });
    if (product.stripeProductId) return product.stripeProductId;
    const id = stripeProductIdFor(productId);
    const stripeProduct = (await this.findProduct(id)) ?? (await this.createProduct(product, id));
    await this.dataSource.query(`UPDATE products SET stripe_product_id = $2 WHERE id = $1 AND stripe_product_id IS NULL`, [productId, stripeProduct.id]);
    return (await this.dataSource.manager.findOneByOrFail(Product, { id: productId })).stripeProductId as string;
  }

  /** The active Price of the offer's current revision: found by lookup key (reactivated if need be) or created; stored on the offer while that revision is published. */
  async ensurePrice(offer: Offer, terms: StripePriceTerms): Promise<Stripe.Price> {
    const lookupKey = offerPriceLookupKey(offer.id, offer.revision);
    let price = await this.findPrice(lookupKey);
    if (price && !price.active) price = await this.stripe.prices.update(price.id, { active: true });
    if (!price) {
      const product = await this.ensureProduct(offer.productId);
      const template = await this.dataSource.manager.findOneByOrFail(LicenseTemplate, { id: offer.templateId });
      try {
        price = await this.stripe.prices.create(
          {
            product,
            ...terms,
            lookup_key: lookupKey,
            nickname: `${offer.nameEn} (${template.key} v${template.version})`,
            metadata: { offerId: offer.id, revision: String(offer.revision), productId: offer.productId },
          },
          { idempotencyKey: `price-${lookupKey}` },
        );
      } catch (error) {
        // A concurrent run created it first (the lookup key is taken): that one is the price.
        price = await this.findPrice(lookupKey);
        if (!price) throw error;
      }
    }
    await this.dataSource.query(`UPDATE offers SET stripe_price_id = $2, stripe_price_revision = $3 WHERE id = $1 AND revision = $3 AND status = 'published'`, [
      offer.id,
      price.id,
      offer.revision,
    ]);
    return price;
  }

  private async convergeOffer(offer: Offer, deactivated: string[]): Promise<Omit<OfferSyncOutcome, 'deactivated'>> {
    const base = { offerId: offer.id, revision: offer.revision };
    if (offer.status !== 'published') {
      deactivated.push(...(await this.deactivatePrices(offer, null)));
      await this.dataSource.query(
        `UPDATE offers SET stripe_price_id = NULL, stripe_price_revision = NULL WHERE id = $1 AND status <> 'published' AND (stripe_price_id IS NOT NULL OR stripe_price_revision IS NOT NULL)`,
        [offer.id],
      );
      return { action: 'not_on_sale', ...base };
    }
    const terms = stripePriceTerms(offer.pricePlan as unknown as PricePlan);
    if (!terms) {
      deactivated.push(...(await this.deactivatePrices(offer, null)));
      // Synced: this revision needs no Price.
      await this.dataSource.query(`UPDATE offers SET stripe_price_id = NULL, stripe_price_revision = $2 WHERE id = $1 AND revision = $2 AND status = 'published'`, [offer.id, offer.revision]);
      return { action: 'nothing_due_up_front', ...base };
    }
    const stripeProductId = await this.ensureProduct(offer.productId);
    await this.syncProduct(offer.productId);
    const price = await this.ensurePrice(offer, terms);
    deactivated.push(...(await this.deactivatePrices(offer, price.id)));
    return { action: 'on_sale', ...base, priceId: price.id, stripeProductId };
  }

  /** Deactivates every active Price of the offer's revisions but `keep`. */
  private async deactivatePrices(offer: Offer, keep: string | null): Promise<string[]> {
    const keys = Array.from({ length: offer.revision }, (_, index) => offerPriceLookupKey(offer.id, index + 1));
    const deactivated: string[] = [];
    for (let start = 0; start < keys.length; start += LOOKUP_KEYS_PER_LIST) {
      const active: Stripe.Price[] = [];
      for await (const price of this.stripe.prices.list({ lookup_keys: keys.slice(start, start + LOOKUP_KEYS_PER_LIST), active: true, limit: 100 })) active.push(price);
      for (const price of active) {
        if (price.id === keep) continue;
        await this.stripe.prices.update(price.id, { active: false });
        deactivated.push(price.id);
      }
    }
    return deactivated;
  }

  private async findPrice(lookupKey: string): Promise<Stripe.Price | null> {
    return (await this.stripe.prices.list({ lookup_keys: [lookupKey], limit: 1 })).data[0] ?? null;
  }

  private async findProduct(id: string): Promise<Stripe.Product | null> {
    try {
      return await this.stripe.products.retrieve(id);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return null;
      throw error;
    }
  }

  private async createProduct(product: Product, id: string): Promise<Stripe.Product> {
    try {
      return await this.stripe.products.create(
        { id, name: stripeProductName(product), metadata: { productId: product.id, slug: product.slug } },
        { idempotencyKey: `product-${product.id}` },
      );
    } catch (error) {
      // A concurrent run created it first (the id is taken): that one is the product.
      const created = await this.findProduct(id);
      if (!created) throw error;
      return created;
    }
  }
}
