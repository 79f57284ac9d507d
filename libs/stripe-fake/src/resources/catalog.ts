import type Stripe from 'stripe';
import type { Engine } from '../engine.js';
import { invalid, missingReference, notFound } from '../errors.js';
import { inRange, mergeMetadata, type Params } from '../params.js';
import { clone, randomToken } from '../util.js';
import { cancelSubscriptionNow } from './billing.js';

// ---------------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------------

const CUSTOMER_FIELDS = ['email', 'name', 'description', 'metadata', 'phone', 'address', 'shipping', 'preferred_locales'];
const CUSTOMER_IGNORED = [
  'invoice_settings', 'tax', 'tax_exempt', 'balance', 'business_name', 'individual_name', 'validate',
  'next_invoice_sequence', 'source', 'default_source', 'payment_method',
];

export function createCustomer(e: Engine, p: Params): Stripe.Customer {
  p.check({
    supported: [...CUSTOMER_FIELDS, 'invoice_prefix'],
    ignored: [...CUSTOMER_IGNORED, 'tax_id_data'],
    unsupported: ['test_clock', 'cash_balance', 'coupon', 'promotion_code'],
  });
  const id = e.id('cus');
  const customer: Stripe.Customer = {
    id,
    object: 'customer',
    address: readAddress(p, 'address') ?? null,
    balance: 0,
    created: e.now(),
    currency: null,
    customer_account: null,
    default_source: null,
    delinquent: false,
    description: p.nullableStr('description') ?? null,
    discount: null,
    email: p.nullableStr('email', { max: 512 }) ?? null,
    invoice_prefix: p.str('invoice_prefix', { max: 12 }) ?? randomToken(8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: mergeMetadata({}, p.metadata()),
    name: p.nullableStr('name', { max: 256 }) ?? null,
    next_invoice_sequence: 1,
    phone: p.nullableStr('phone', { max: 20 }) ?? null,
    preferred_locales: p.strList('preferred_locales') ?? [],
    shipping: readShipping(p) ?? null,
    tax_exempt: 'none',
    test_clock: null,
  };
  e.customers.set(id, customer);
  e.record('customer.created', customer);
  return clone(customer);
}

export function retrieveCustomer(e: Engine, id: string): Stripe.Customer | Stripe.DeletedCustomer {
  const customer = e.customers.get(id) ?? e.deletedCustomers.get(id);
  if (!customer) throw notFound('customer', id);
  return clone(customer);
}

export function requireCustomer(e: Engine, id: string, param?: string): Stripe.Customer {
  const customer = e.customers.get(id);
  if (!customer) throw param ? missingReference('customer', id, param) : notFound('customer', id);
  return customer;
}

export function updateCustomer(e: Engine, id: string, p: Params): Stripe.Customer {
  p.check({ supported: [...CUSTOMER_FIELDS], ignored: CUSTOMER_IGNORED, unsupported: ['cash_balance', 'coupon', 'promotion_code'] });
  const customer = requireCustomer(e, id);
  const before = clone(customer);
  const address = readAddress(p, 'address');
  if (address !== undefined) customer.address = address;
  const description = p.nullableStr('description');
  if (description !== undefined) customer.description = description;
  const email = p.nullableStr('email', { max: 512 });
  if (email !== undefined) customer.email = email;
  const name = p.nullableStr('name', { max: 256 });
  if (name !== undefined) customer.name = name;
  const phone = p.nullableStr('phone', { max: 20 });
  if (phone !== undefined) customer.phone = phone;
  const locales = p.strList('preferred_locales');
  if (locales !== undefined) customer.preferred_locales = locales;
  const shipping = readShipping(p);
  if (shipping !== undefined) customer.shipping = shipping;
  if (p.has('metadata')) customer.metadata = mergeMetadata(customer.metadata, p.metadata());
  if (JSON.stringify(before) !== JSON.stringify(customer)) e.record('customer.updated', customer, { previous: before });
  return clone(customer);
}

export function deleteCustomer(e: Engine, id: string, p: Params): Stripe.DeletedCustomer {
  p.check({ supported: [] });
  const customer = requireCustomer(e, id);
  for (const subscription of e.subscriptions.values()) {
    if (subscription.customer === id && !['canceled', 'incomplete_expired'].includes(subscription.status)) {
      cancelSubscriptionNow(e, subscription.id, { reason: 'cancellation_requested' });
    }
  }
  e.customers.delete(id);
  const deleted: Stripe.DeletedCustomer = { id, object: 'customer', deleted: true };
  e.deletedCustomers.set(id, deleted);
  e.record('customer.deleted', customer);
  return clone(deleted);
}

export function listCustomers(e: Engine, p: Params): unknown {
  p.check({ supported: ['email', 'created', 'limit', 'starting_after', 'ending_before'], ignored: ['test_clock'] });
  const email = p.str('email', { max: 512 });
  const created = p.range('created');
  const items = [...e.customers.values()].filter(
    (customer) => (email === undefined || customer.email === email) && inRange(customer.created, created),
  );
  return e.paginate(items, p, '/v1/customers');
}

/**
 * A small part of Stripe's search language: clauses joined by AND, each `field:'value'`
 * (exact) or `field~'value'` (substring), for email, name, phone, description and
 * `metadata['key']`.
 */
export function searchCustomers(e: Engine, p: Params): Stripe.ApiSearchResult<Stripe.Customer> {
  p.check({ supported: ['query', 'limit', 'page'] });
  const query = p.reqStr('query');
  const limit = p.int('limit', { min: 1, max: 100 }) ?? 10;
  const offset = Number(p.str('page') ?? '0') || 0;
  const clauses = query.split(/\s+AND\s+/).map((clause) => {
    const match = /^\s*(email|name|phone|description|metadata\[['"]([^'"]+)['"]\])\s*([:~])\s*(?:'([^']*)'|"([^"]*)")\s*$/.exec(clause);
    if (!match) {
      throw invalid(
        `stripe-fake understands only AND-joined clauses like email:'a@b.c', name~'jo' or metadata['key']:'value' (got: ${clause.trim()})`,
        'query',
      );
    }
    return { field: match[2] ? null : match[1], metadataKey: match[2] ?? null, operator: match[3], value: match[4] ?? match[5] };
  });
  const matches = [...e.customers.values()].reverse().filter((customer) =>
    clauses.every((clause) => {
      const actual = clause.metadataKey !== null
        ? customer.metadata[clause.metadataKey]
        : (customer[clause.field as 'email' | 'name' | 'phone' | 'description'] ?? undefined);
      if (typeof actual !== 'string') return false;
      return clause.operator === ':' ? actual === clause.value : actual.toLowerCase().includes(clause.value.toLowerCase());
    }),
  );
  const page = matches.slice(offset, offset + limit);
  const hasMore = matches.length > offset + limit;
  return {
    object: 'search_result',
    data: clone(page),
    has_more: hasMore,
    next_page: hasMore ? String(offset + limit) : null,
    url: '/v1/customers/search',
  } as Stripe.ApiSearchResult<Stripe.Customer>;
}

function readAddress(p: Params, name: string): Stripe.Address | null | undefined {
  if (p.raw[name] === '') return null;
  const address = p.obj(name);
  if (!address) return undefined;
  address.check({ supported: ['city', 'country', 'line1', 'line2', 'postal_code', 'state'] });
  return {
    city: address.str('city') ?? null,
    country: address.str('country') ?? null,
    line1: address.str('line1') ?? null,
    line2: address.str('line2') ?? null,
    postal_code: address.str('postal_code') ?? null,
    state: address.str('state') ?? null,
  };
}

function readShipping(p: Params): Stripe.Customer.Shipping | null | undefined {
  if (p.raw.shipping === '') return null;
  const shipping = p.obj('shipping');
  if (!shipping) return undefined;
  shipping.check({ supported: ['name', 'phone', 'address'] });
  return {
    address: readAddress(shipping, 'address') ?? undefined,
    name: shipping.reqStr('name'),
    phone: shipping.str('phone') ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Products
// ---------------------------------------------------------------------------------------------

const PRODUCT_FIELDS = ['active', 'name', 'description', 'metadata', 'images', 'url', 'statement_descriptor', 'unit_label', 'shippable', 'tax_code'];

export function createProduct(e: Engine, p: Params): Stripe.Product {
  p.check({
    supported: [...PRODUCT_FIELDS, 'id', 'default_price_data', 'type'],
    ignored: ['marketing_features', 'package_dimensions', 'tax_details'],
  });
  const customId = p.str('id');
  if (customId !== undefined && (e.products.has(customId) || customId === '')) {
    throw invalid('Product already exists.', 'id', 'resource_already_exists');
  }
  const id = customId !== undefined ? e.register(customId) : e.id('prod');
  const now = e.now();
  const product: Stripe.Product = {
    id,
    object: 'product',
    active: p.bool('active') ?? true,
    created: now,
    default_price: null,
    description: p.nullableStr('description') ?? null,
    images: p.strList('images') ?? [],
    livemode: false,
    marketing_features: [],
    metadata: mergeMetadata({}, p.metadata()),
    name: p.reqStr('name', { max: 250 }),
    package_dimensions: null,
    shippable: p.bool('shippable') ?? null,
    statement_descriptor: p.nullableStr('statement_descriptor') ?? null,
    tax_code: p.nullableStr('tax_code') ?? null,
    tax_details: null,
    type: p.enumOf('type', ['good', 'service'] as const) ?? 'service',
    unit_label: p.nullableStr('unit_label') ?? null,
    updated: now,
    url: p.nullableStr('url') ?? null,
  };
  e.products.set(id, product);
  e.record('product.created', product);
  const defaultPriceData = p.obj('default_price_data');
  if (defaultPriceData) {
    const price = buildPrice(e, defaultPriceData, { product: id, allowProductData: false });
    product.default_price = price.id;
    e.record('product.updated', product, { previous: { ...product, default_price: null } });
  }
  return clone(product);
}

export function retrieveProduct(e: Engine, id: string): Stripe.Product {
  const product = e.products.get(id);
  if (!product) throw notFound('product', id);
  return clone(product);
}

export function updateProduct(e: Engine, id: string, p: Params): Stripe.Product {
  p.check({ supported: [...PRODUCT_FIELDS, 'default_price'], ignored: ['marketing_features', 'package_dimensions', 'tax_details'] });
  const product = e.products.get(id);
  if (!product) throw notFound('product', id);
  const before = clone(product);
  const active = p.bool('active');
  if (active !== undefined) product.active = active;
  const name = p.str('name', { max: 250 });
  if (name !== undefined) {
    if (name === '') throw invalid('You passed an empty string for \'name\'. We assume empty values are an attempt to unset a parameter; however \'name\' cannot be unset.', 'name');
    product.name = name;
  }
  for (const field of ['description', 'statement_descriptor', 'unit_label', 'url', 'tax_code'] as const) {
    const value = p.nullableStr(field);
    if (value !== undefined) product[field] = value;
  }
  const images = p.strList('images');
  if (images !== undefined) product.images = images;
  const shippable = p.bool('shippable');
  if (shippable !== undefined) product.shippable = shippable;
  const defaultPrice = p.nullableStr('default_price');
  if (defaultPrice !== undefined) {
    if (defaultPrice !== null) {
      const price = e.prices.get(defaultPrice);
      if (!price) throw missingReference('price', defaultPrice, 'default_price');
      if (price.product !== id) throw invalid('The default price must belong to this product.', 'default_price');
    }
    product.default_price = defaultPrice;
  }
  if (p.has('metadata')) product.metadata = mergeMetadata(product.metadata, p.metadata());
  if (JSON.stringify(before) !== JSON.stringify(product)) {
    product.updated = e.now();
    e.record('product.updated', product, { previous: before });
  }
  return clone(product);
}

export function deleteProduct(e: Engine, id: string, p: Params): Stripe.DeletedProduct {
  p.check({ supported: [] });
  const product = e.products.get(id);
  if (!product) throw notFound('product', id);
  if ([...e.prices.values()].some((price) => price.product === id && !e.inlinePrices.has(price.id))) {
    throw invalid('This product cannot be deleted because it has one or more user-created prices.', 'id');
  }
  e.products.delete(id);
  e.record('product.deleted', product);
  return { id, object: 'product', deleted: true };
}

export function listProducts(e: Engine, p: Params): unknown {
  p.check({ supported: ['active', 'ids', 'created', 'shippable', 'url', 'limit', 'starting_after', 'ending_before'] });
  const active = p.bool('active');
  const ids = p.strList('ids');
  const created = p.range('created');
  const shippable = p.bool('shippable');
  const url = p.str('url');
  const items = [...e.products.values()].filter(
    (product) =>
      (active === undefined || product.active === active) &&
      (ids === undefined || ids.includes(product.id)) &&
      (shippable === undefined || product.shippable === shippable) &&
      (url === undefined || product.url === url) &&
      inRange(product.created, created),
  );
  return e.paginate(items, p, '/v1/products');
}

// ---------------------------------------------------------------------------------------------
// Prices
// ---------------------------------------------------------------------------------------------

const INTERVALS = ['day', 'week', 'month', 'year'] as const;
const MAX_INTERVAL_COUNT: Record<(typeof INTERVALS)[number], number> = { day: 1095, week: 156, month: 36, year: 3 };

export function createPrice(e: Engine, p: Params): Stripe.Price {
  p.check({
    supported: [
      'currency', 'product', 'product_data', 'unit_amount', 'unit_amount_decimal', 'recurring', 'nickname', 'metadata',
      'lookup_key', 'transfer_lookup_key', 'active', 'tax_behavior', 'billing_scheme',
    ],
    ignored: ['currency_options'],
    unsupported: ['custom_unit_amount', 'tiers', 'tiers_mode', 'transform_quantity'],
  });
  return clone(buildPrice(e, p, { allowProductData: true }));
}

/**
 * Creates a price from `p` (the body of POST /v1/prices, or `price_data` / `default_price_data`
 * when `inline` / `product` are given).
 */
export function buildPrice(
  e: Engine,
  p: Params,
  options: { product?: string; allowProductData: boolean; inline?: boolean },
): Stripe.Price {
  const currency = p.reqStr('currency');
  if (!/^[a-zA-Z]{3}$/.test(currency)) throw invalid(`Invalid currency: ${currency}.`, p.path('currency'));
  let productId = options.product ?? p.str('product');
  const productData = options.allowProductData ? p.obj('product_data') : undefined;
  if (productId && productData) {
    throw invalid('You may only specify one of these parameters: product, product_data.', p.path('product'));
  }
  if (productData) {
    productData.check({
      supported: ['name', 'metadata', 'active', 'statement_descriptor', 'unit_label', 'tax_code', 'description', 'images', 'id'],
    });
    const product = createProduct(e, productData);
    productId = product.id;
  }
  if (!productId) throw invalid('Missing required param: product.', p.path('product'), 'parameter_missing');
  if (!e.products.has(productId)) throw missingReference('product', productId, p.path('product'));

  const billingScheme = p.enumOf('billing_scheme', ['per_unit', 'tiered'] as const) ?? 'per_unit';
  if (billingScheme !== 'per_unit') throw invalid('stripe-fake supports only billing_scheme=per_unit.', p.path('billing_scheme'));
  let unitAmount = p.int('unit_amount', { min: 0 });
  const decimal = p.str('unit_amount_decimal');
  if (unitAmount !== undefined && decimal !== undefined) {
    throw invalid('You may only specify one of these parameters: unit_amount, unit_amount_decimal.', p.path('unit_amount'));
  }
  if (decimal !== undefined) {
    if (!/^\d+(\.\d{1,12})?$/.test(decimal)) throw invalid(`Invalid decimal: ${decimal}`, p.path('unit_amount_decimal'));
    unitAmount = Number.isInteger(Number(decimal)) ? Number(decimal) : undefined;
  }
  if (unitAmount === undefined && decimal === undefined) {
    throw invalid(
      'You must pass either `unit_amount` or `unit_amount_decimal` (stripe-fake does not implement custom_unit_amount or tiers).',
      p.path('unit_amount'),
      'parameter_missing',
    );
  }

  let recurring: Stripe.Price.Recurring | null = null;
  const recurringParams = p.obj('recurring');
  if (recurringParams) {
    recurringParams.check({ supported: ['interval', 'interval_count', 'usage_type', 'meter'], ignored: ['trial_period_days', 'aggregate_usage'] });
    const interval = recurringParams.enumOf('interval', INTERVALS);
    if (!interval) throw invalid(`Missing required param: ${recurringParams.path('interval')}.`, recurringParams.path('interval'), 'parameter_missing');
    const intervalCount = recurringParams.int('interval_count', { min: 1 }) ?? 1;
    if (intervalCount > MAX_INTERVAL_COUNT[interval]) {
      throw invalid('Invalid recurring[interval_count]: the maximum billing interval is three years (3 year, 36 months, 156 weeks or 1095 days).', recurringParams.path('interval_count'));
    }
    recurring = {
      interval,
      interval_count: intervalCount,
      meter: recurringParams.str('meter') ?? null,
      trial_period_days: null,
      usage_type: recurringParams.enumOf('usage_type', ['licensed', 'metered'] as const) ?? 'licensed',
    };
  }

  const lookupKey = p.nullableStr('lookup_key', { max: 200 }) ?? null;
  const transferLookupKey = p.bool('transfer_lookup_key') ?? false;
  if (lookupKey) releaseLookupKey(e, lookupKey, transferLookupKey, p.path('lookup_key'));

  const id = e.id('price');
  const price: Stripe.Price = {
    id,
    object: 'price',
    active: p.bool('active') ?? true,
    billing_scheme: 'per_unit',
    created: e.now(),
    currency: currency.toLowerCase(),
    custom_unit_amount: null,
    livemode: false,
    lookup_key: lookupKey,
    metadata: mergeMetadata({}, p.metadata()),
    nickname: p.nullableStr('nickname') ?? null,
    product: productId,
    recurring,
    tax_behavior: p.enumOf('tax_behavior', ['exclusive', 'inclusive', 'unspecified'] as const) ?? 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: recurring ? 'recurring' : 'one_time',
    unit_amount: unitAmount ?? null,
    unit_amount_decimal: (decimal ?? String(unitAmount)) as unknown as Stripe.Price['unit_amount_decimal'],
  };
  e.prices.set(id, price);
  if (options.inline) e.inlinePrices.add(id);
  else e.record('price.created', price);
  return price;
}

/** Frees a lookup key for a new owner, or fails as Stripe does when it is taken. */
function releaseLookupKey(e: Engine, lookupKey: string, transfer: boolean, param: string, except?: string): void {
  for (const other of e.prices.values()) {
    if (other.id === except || other.lookup_key !== lookupKey) continue;
    if (!transfer) {
      throw invalid(
        `A price (\`${other.id}\`) already uses that lookup key. Set \`transfer_lookup_key=true\` to move it to this price.`,
        param,
      );
    }
    const before = clone(other);
    other.lookup_key = null;
    e.record('price.updated', other, { previous: before });
  }
}

export function retrievePrice(e: Engine, id: string): Stripe.Price {
  const price = e.prices.get(id);
  if (!price) throw notFound('price', id);
  return clone(price);
}

export function updatePrice(e: Engine, id: string, p: Params): Stripe.Price {
  p.check({
    supported: ['active', 'metadata', 'nickname', 'lookup_key', 'transfer_lookup_key', 'tax_behavior'],
    ignored: ['currency_options'],
  });
  const price = e.prices.get(id);
  if (!price) throw notFound('price', id);
  const before = clone(price);
  const active = p.bool('active');
  if (active !== undefined) price.active = active;
  const nickname = p.nullableStr('nickname');
  if (nickname !== undefined) price.nickname = nickname;
  const lookupKey = p.nullableStr('lookup_key', { max: 200 });
  if (lookupKey !== undefined) {
    if (lookupKey) releaseLookupKey(e, lookupKey, p.bool('transfer_lookup_key') ?? false, 'lookup_key', id);
    price.lookup_key = lookupKey;
  }
  const taxBehavior = p.enumOf('tax_behavior', ['exclusive', 'inclusive', 'unspecified'] as const);
  if (taxBehavior !== undefined) price.tax_behavior = taxBehavior;
  if (p.has('metadata')) price.metadata = mergeMetadata(price.metadata, p.metadata());
  if (JSON.stringify(before) !== JSON.stringify(price) && !e.inlinePrices.has(id)) {
    e.record('price.updated', price, { previous: before });
  }
  return clone(price);
}

export function listPrices(e: Engine, p: Params): unknown {
  p.check({
    supported: ['active', 'currency', 'product', 'type', 'lookup_keys', 'recurring', 'created', 'limit', 'starting_after', 'ending_before'],
  });
  const active = p.bool('active');
  const currency = p.str('currency')?.toLowerCase();
  const product = p.str('product');
  const type = p.enumOf('type', ['one_time', 'recurring'] as const);
  const lookupKeys = p.strList('lookup_keys');
  if (lookupKeys && lookupKeys.length > 10) throw invalid('You may pass at most 10 lookup_keys.', 'lookup_keys');
  const recurring = p.obj('recurring');
  recurring?.check({ supported: ['interval', 'usage_type', 'meter'] });
  const interval = recurring?.enumOf('interval', INTERVALS);
  const usageType = recurring?.enumOf('usage_type', ['licensed', 'metered'] as const);
  const meter = recurring?.str('meter');
  const created = p.range('created');
  const items = [...e.prices.values()].filter(
    (price) =>
      !e.inlinePrices.has(price.id) &&
      (active === undefined || price.active === active) &&
      (currency === undefined || price.currency === currency) &&
      (product === undefined || price.product === product) &&
      (type === undefined || price.type === type) &&
      (lookupKeys === undefined || (price.lookup_key !== null && lookupKeys.includes(price.lookup_key))) &&
      (interval === undefined || price.recurring?.interval === interval) &&
      (usageType === undefined || price.recurring?.usage_type === usageType) &&
      (meter === undefined || price.recurring?.meter === meter) &&
      inRange(price.created, created),
  );
  return e.paginate(items, p, '/v1/prices');
}

/** The amount of one unit of a price, in the currency's minor unit. */
export function unitAmountOf(price: Stripe.Price): number {
  if (price.unit_amount !== null) return price.unit_amount;
  return Number(price.unit_amount_decimal ?? 0);
}
