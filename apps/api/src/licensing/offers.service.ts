import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LicenseTemplate, Offer, Organization, PriceCapRecord, Product } from '@civic/db';
import {
  checkPriceCaps,
  compareOffers,
  describeRatedLine,
  DomainError,
  licenceTermsDocument,
  parsePricePlan,
  type PriceCap,
  type PricePlan,
} from '@civic/domain';
import { In, Not, type DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/principal.js';
import { StripeCatalogSync } from '../payments/stripe-catalog-sync.js';
import type { CreateOfferDto, EstimateDto, OfferDto, OfferTermsDto, UpdateOfferDto } from './dto/licensing.dto.js';
import { LicenseTemplatesService } from './license-templates.service.js';
import { licenceText, priceText } from './license-text.js';
import { ProductFactsService } from './product-facts.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_OFFERS_PER_PRODUCT = 12;

/**
 * Offers: how a product is sold (a licence template and a price plan). The product's owner
 * drafts, publishes (checked against the platform's price caps) and archives them; buyers see
 * published offers of published products, with the exact terms to accept and a price estimate.
 */
@Injectable()
export class OffersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly templates: LicenseTemplatesService,
    private readonly facts: ProductFactsService,
    private readonly stripeCatalog: StripeCatalogSync,
  ) {}

  async listForOwner(organizationId: string, productId: string): Promise<OfferDto[]> {
    await this.ownProduct(this.dataSource.manager, organizationId, productId);
    const offers = await this.dataSource.manager.find(Offer, { where: { productId }, order: { status: 'ASC', position: 'ASC', createdAt: 'ASC' } });
    return this.toDtos(offers);
  }

  async create(actor: Actor, organizationId: string, productId: string, input: CreateOfferDto): Promise<OfferDto> {
    const plan = parsePricePlan(plainJson(input.pricePlan));
    const id = await this.dataSource.transaction(async (manager) => {
      const product = await this.ownProduct(manager, organizationId, productId, true);
      if (product.status === 'retired') throw new DomainError('licensing.product_retired', 'A retired product cannot get new offers.');
      await this.usableTemplate(manager, input.templateId, organizationId);
      const count = await manager.count(Offer, { where: { productId, status: Not('archived') } });
      if (count >= MAX_OFFERS_PER_PRODUCT) throw new DomainError('licensing.too_many_offers', `A product has at most ${MAX_OFFERS_PER_PRODUCT} offers.`);
      const offer = await manager.save(
        manager.create(Offer, {
          productId,
          organizationId,
          templateId: input.templateId,
          nameZh: input.nameZh,
          nameEn: input.nameEn,
          pricePlan: plan as unknown as Record<string, unknown>,
          currency: plan.currency,
          requiresApproval: input.requiresApproval ?? false,
          position: input.position ?? count,
          createdByUserId: actor.principal?.userId ?? null,
        }),
      );
      await this.audit.record(manager, actor, { action: 'offer.created', targetType: 'offer', targetId: offer.id, data: { productId, plan: plan.kind } });
      return offer.id;
    });
    return this.getForOwner(organizationId, id);
  }

  async getForOwner(organizationId: string, offerId: string): Promise<OfferDto> {
    const offer = await this.dataSource.manager.findOneBy(Offer, { id: offerId, organizationId });
    if (!offer) throw new DomainError('licensing.offer_not_found', 'Offer not found.');
    return (await this.toDtos([offer]))[0] as OfferDto;
  }

  /** Drafts change in place; a published offer's change is a new revision (sold licences keep theirs) and is checked against the caps again. */
  async update(actor: Actor, organizationId: string, offerId: string, input: UpdateOfferDto): Promise<OfferDto> {
    await this.dataSource.transaction(async (manager) => {
      const offer = await this.ownOffer(manager, organizationId, offerId);
      if (offer.status === 'archived') throw new DomainError('licensing.offer_archived', 'An archived offer cannot be changed.');
      const plan = input.pricePlan ? parsePricePlan(plainJson(input.pricePlan)) : (offer.pricePlan as unknown as PricePlan);
      if (input.templateId) await this.usableTemplate(manager, input.templateId, organizationId);
      const changes: Partial<Offer> = {
        ...(input.templateId ? { templateId: input.templateId } : {}),
        ...(input.nameZh !== undefined ? { nameZh: input.nameZh } : {}),
        ...(input.nameEn !== undefined ? { nameEn: input.nameEn } : {}),
        ...(input.requiresApproval !== undefined ? { requiresApproval: input.requiresApproval } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
        ...(input.pricePlan ? { pricePlan: plan as unknown as Record<string, unknown>, currency: plan.currency } : {}),
      };
      const termsChanged = input.pricePlan !== undefined || input.templateId !== undefined || input.requiresApproval !== undefined;
      if (offer.status === 'published') {
        const product = await manager.findOneByOrFail(Product, { id: offer.productId });
        await this.enforceCaps(manager, product, plan);
        if (termsChanged) changes.revision = offer.revision + 1;
      }
      await manager.update(Offer, { id: offer.id }, { ...changes, updatedAt: new Date() } as never);
      await this.audit.record(manager, actor, { action: 'offer.updated', targetType: 'offer', targetId: offer.id, data: { fields: Object.keys(changes), revision: changes.revision ?? offer.revision } });
    });
    await this.stripeCatalog.offerChanged(offerId);
    return this.getForOwner(organizationId, offerId);
  }

  async publish(actor: Actor, organizationId: string, offerId: string): Promise<OfferDto> {
    await this.dataSource.transaction(async (manager) => {
      const offer = await this.ownOffer(manager, organizationId, offerId);
      if (offer.status === 'published') return;
      if (offer.status === 'archived') throw new DomainError('licensing.offer_archived', 'An archived offer cannot be published; create a new one.');
      const product = await manager.findOneByOrFail(Product, { id: offer.productId });
      await this.enforceCaps(manager, product, parsePricePlan(offer.pricePlan));
      await manager.update(Offer, { id: offer.id }, { status: 'published', publishedAt: new Date(), updatedAt: new Date() });
      await this.audit.record(manager, actor, { action: 'offer.published', targetType: 'offer', targetId: offer.id, data: { productId: offer.productId, revision: offer.revision } });
    });
    await this.stripeCatalog.offerChanged(offerId);
    return this.getForOwner(organizationId, offerId);
  }

  async archive(actor: Actor, organizationId: string, offerId: string): Promise<OfferDto> {
    await this.dataSource.transaction(async (manager) => {
      const offer = await this.ownOffer(manager, organizationId, offerId);
      if (offer.status === 'archived') return;
      await manager.update(Offer, { id: offer.id }, { status: 'archived', updatedAt: new Date() });
      await this.audit.record(manager, actor, { action: 'offer.archived', targetType: 'offer', targetId: offer.id, data: { productId: offer.productId } });
    });
    await this.stripeCatalog.offerChanged(offerId);
    return this.getForOwner(organizationId, offerId);
  }

  /** Published offers of a published product, for the storefront. */
  async forStorefront(ref: string): Promise<OfferDto[]> {
    const product = await this.publishedProduct(ref);
    const offers = await this.dataSource.manager.find(Offer, { where: { productId: product.id, status: 'published' }, order: { position: 'ASC', createdAt: 'ASC' } });
    return this.toDtos(offers);
  }

  /** The exact terms a buyer accepts for an offer as it stands now, and their sha256. */
  async terms(offerId: string, manager: EntityManager = this.dataSource.manager): Promise<OfferTermsDto & { template: LicenseTemplate; offer: Offer; product: Product; plan: PricePlan }> {
    const offer = await manager.findOneBy(Offer, { id: offerId, status: 'published' });
    if (!offer) throw new DomainError('licensing.offer_not_found', 'Offer not found.');
    const product = await manager.findOneBy(Product, { id: offer.productId, status: 'published' });
    if (!product) throw new DomainError('licensing.offer_not_found', 'Offer not found.');
    // One after another: inside a transaction the manager has a single connection, which takes one query at a time.
    const template = await manager.findOneByOrFail(LicenseTemplate, { id: offer.templateId });
    await manager.findOneByOrFail(Organization, { id: offer.organizationId });
    const facts = await this.facts.of(product, manager);
    const plan = parsePricePlan(offer.pricePlan);
    const document = licenceTermsDocument({
      template: { key: template.key, version: template.version, policy: template.policy },
      plan,
      product: { id: product.id, ...(product.currentVersionId ? { versionId: product.currentVersionId } : {}) },
      offer: { id: offer.id, version: offer.revision },
      seller: { organizationId: offer.organizationId },
    });
    return {
      offerId: offer.id,
      revision: offer.revision,
      terms: document.document as unknown as Record<string, unknown>,
      termsSha256: document.sha256,
      text: licenceText(template.policy),
      priceText: priceText(plan),
      approvalNeeded: offer.requiresApproval || facts.supervisingAgencies.length > 0,
      template,
      offer,
      product,
      plan,
    };
  }

  /** What an expected use costs under each published offer of a product, cheapest first. */
  async estimate(ref: string, months: number, quantityPerMonth: number): Promise<EstimateDto> {
    const product = await this.publishedProduct(ref);
    const offers = await this.dataSource.manager.find(Offer, { where: { productId: product.id, status: 'published' }, order: { position: 'ASC' } });
    const plans = offers.map((offer) => parsePricePlan(offer.pricePlan));
    const ranked = compareOffers(plans, { months, quantityPerMonth });
    return {
      months,
      quantityPerMonth,
      items: ranked.map((entry) => {
        const offer = offers[entry.index] as Offer;
        const plan = plans[entry.index] as PricePlan;
        return {
          offerId: offer.id,
          nameZh: offer.nameZh,
          nameEn: offer.nameEn,
          currency: plan.currency,
          total: entry.estimate.total,
          oneTime: entry.estimate.oneTime.total,
          perPeriod: entry.estimate.period.total,
          interval: entry.estimate.interval,
          periods: entry.estimate.perPeriod.length,
          trialDays: entry.estimate.trialDays,
          trialSavings: entry.estimate.trialSavings,
          lines: [...entry.estimate.oneTime.lines, ...entry.estimate.period.lines].map((line) => {
            const context = { currency: plan.currency, ...('metered' in plan ? { unit: plan.metered.unit } : {}) };
            return { kind: line.kind, description: { zh: describeRatedLine(line, context, 'zh-CN'), en: describeRatedLine(line, context, 'en') }, amount: line.amount };
          }),
          unit: 'metered' in plan ? plan.metered.unit : 'none',
        };
      }),
    };
  }

  private async enforceCaps(manager: EntityManager, product: Product, plan: PricePlan): Promise<void> {
    const facts = await this.facts.of(product, manager);
    const caps = await manager.find(PriceCapRecord, { where: { active: true } });
    const violations = checkPriceCaps(plan, { themes: facts.themes, classification: facts.classification }, caps.map(toPriceCap));
    if (violations.length > 0) {
      throw new DomainError('pricing.over_cap', 'The price is above what public-data pricing rules allow for this product.', violations as unknown as Record<string, unknown>[]);
    }
  }

  private async usableTemplate(manager: EntityManager, templateId: string, organizationId: string): Promise<LicenseTemplate> {
    const template = await manager.findOneBy(LicenseTemplate, { id: templateId });
    if (!template || (!template.standard && template.organizationId !== organizationId)) throw new DomainError('licensing.template_not_found', 'Licence template not found.');
    return template;
  }

  private async ownProduct(manager: EntityManager, organizationId: string, productId: string, lock = false): Promise<Product> {
    const product = await manager.findOne(Product, { where: { id: productId, organizationId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!product) throw new DomainError('product.not_found', 'Product not found.');
    return product;
  }

  private async ownOffer(manager: EntityManager, organizationId: string, offerId: string): Promise<Offer> {
    const offer = await manager.findOne(Offer, { where: { id: offerId, organizationId }, lock: { mode: 'pessimistic_write' } });
    if (!offer) throw new DomainError('licensing.offer_not_found', 'Offer not found.');
    return offer;
  }

  private async publishedProduct(ref: string): Promise<Product> {
    const product = await this.dataSource.manager.findOneBy(Product, UUID.test(ref) ? { id: ref, status: 'published' } : { slug: ref, status: 'published' });
    if (!product) throw new DomainError('product.not_found', 'Product not found.');
    return product;
  }

  async toDtos(offers: Offer[]): Promise<OfferDto[]> {
    if (offers.length === 0) return [];
    const manager = this.dataSource.manager;
    const [products, organizations, templates, counts] = await Promise.all([
      manager.find(Product, { where: { id: In([...new Set(offers.map((offer) => offer.productId))]) } }),
      manager.find(Organization, { where: { id: In([...new Set(offers.map((offer) => offer.organizationId))]) } }),
      manager.find(LicenseTemplate, { where: { id: In([...new Set(offers.map((offer) => offer.templateId))]) } }),
      manager.query(`SELECT offer_id, count(*)::int AS n FROM licenses WHERE offer_id = ANY($1) GROUP BY offer_id`, [offers.map((offer) => offer.id)]) as Promise<Array<{ offer_id: string; n: number }>>,
    ]);
    const productById = new Map(products.map((product) => [product.id, product]));
    const orgById = new Map(organizations.map((org) => [org.id, org]));
    const templateDtos = new Map((await this.templates.toDtos(templates)).map((dto) => [dto.id, dto]));
    const countByOffer = new Map(counts.map((row) => [row.offer_id, row.n]));
    const factsByProduct = new Map(await Promise.all(products.map(async (product) => [product.id, await this.facts.of(product)] as const)));
    return offers.map((offer) => {
      const product = productById.get(offer.productId) as Product;
      const seller = orgById.get(offer.organizationId) as Organization;
      return {
        id: offer.id,
        product: { id: product.id, slug: product.slug, titleZh: product.titleZh, titleEn: product.titleEn },
        seller: { id: seller.id, slug: seller.slug, name: seller.name },
        nameZh: offer.nameZh,
        nameEn: offer.nameEn,
        pricePlan: offer.pricePlan as never,
        priceText: priceText(offer.pricePlan),
        currency: offer.currency,
        requiresApproval: offer.requiresApproval,
        approvalNeeded: offer.requiresApproval || (factsByProduct.get(product.id)?.supervisingAgencies.length ?? 0) > 0,
        status: offer.status,
        revision: offer.revision,
        position: offer.position,
        template: templateDtos.get(offer.templateId) as never,
        licenseCount: countByOffer.get(offer.id) ?? 0,
        updatedAt: offer.updatedAt.toISOString(),
        publishedAt: offer.publishedAt?.toISOString() ?? null,
      };
    });
  }
}

export function toPriceCap(record: PriceCapRecord): PriceCap {
  return {
    scope: { ...(record.theme ? { theme: record.theme } : {}), ...(record.classification ? { classification: record.classification } : {}) },
    currency: record.currency,
    ...(record.maxOneTime !== null ? { maxOneTime: record.maxOneTime } : {}),
    ...(record.maxMonthly !== null ? { maxMonthly: record.maxMonthly } : {}),
    ...(record.maxPerUnit ? { maxPerUnit: record.maxPerUnit as never } : {}),
  } as PriceCap;
}

/** A validated DTO as plain JSON: fields the caller left out are absent, not present as undefined. */
function plainJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
