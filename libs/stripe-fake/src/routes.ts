import type { Engine } from './engine.js';
import type { Params } from './params.js';
import {
  cancelSubscription,
  createInvoiceItem,
  createOneOffInvoice,
  finalizeInvoiceEndpoint,
  listInvoiceLines,
  listInvoices,
  listPaymentIntents,
  listSubscriptions,
  payInvoice,
  retrieveInvoice,
  retrieveInvoiceItem,
  retrievePaymentIntent,
  retrieveSubscription,
  updateSubscription,
} from './resources/billing.js';
import {
  createCustomer,
  createPrice,
  createProduct,
  deleteCustomer,
  deleteProduct,
  listCustomers,
  listPrices,
  listProducts,
  retrieveCustomer,
  retrievePrice,
  retrieveProduct,
  searchCustomers,
  updateCustomer,
  updatePrice,
  updateProduct,
} from './resources/catalog.js';
import {
  createSession,
  expireSession,
  listSessionLineItems,
  listSessions,
  retrieveSession,
  updateSession,
} from './resources/checkout.js';
import {
  acceptDispute,
  cancelRefund,
  createRefund,
  listCharges,
  listDisputes,
  listRefunds,
  retrieveCharge,
  retrieveDispute,
  retrieveRefund,
  updateRefund,
} from './resources/charges.js';
import {
  createAccount,
  createAccountLink,
  createLoginLink,
  listAccounts,
  retrieveAccount,
  retrievePlatformAccount,
  updateAccount,
} from './resources/connect.js';
import { listEvents, retrieveEvent } from './resources/events.js';
import { createTransfer, listTransfers, retrieveTransfer } from './resources/transfers.js';
import { listBalanceTransactions, listInvoicePayments, retrieveBalanceTransaction } from './resources/balance.js';

export interface RouteContext {
  e: Engine;
  p: Params;
  /** The `:id` path segment. */
  id: string;
}

type Handler = (ctx: RouteContext) => unknown;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

/** A retrieve takes only `expand`. */
const retrieve = (fn: (e: Engine, id: string) => unknown): Handler => ({ e, p, id }) => {
  p.check({ supported: [] });
  return fn(e, id);
};

const table: [string, string, Handler][] = [
  ['POST', '/v1/customers', ({ e, p }) => createCustomer(e, p)],
  ['GET', '/v1/customers', ({ e, p }) => listCustomers(e, p)],
  ['GET', '/v1/customers/search', ({ e, p }) => searchCustomers(e, p)],
  ['GET', '/v1/customers/:id', retrieve(retrieveCustomer)],
  ['POST', '/v1/customers/:id', ({ e, p, id }) => updateCustomer(e, id, p)],
  ['DELETE', '/v1/customers/:id', ({ e, p, id }) => deleteCustomer(e, id, p)],

  ['POST', '/v1/products', ({ e, p }) => createProduct(e, p)],
  ['GET', '/v1/products', ({ e, p }) => listProducts(e, p)],
  ['GET', '/v1/products/:id', retrieve(retrieveProduct)],
  ['POST', '/v1/products/:id', ({ e, p, id }) => updateProduct(e, id, p)],
  ['DELETE', '/v1/products/:id', ({ e, p, id }) => deleteProduct(e, id, p)],

  ['POST', '/v1/prices', ({ e, p }) => createPrice(e, p)],
  ['GET', '/v1/prices', ({ e, p }) => listPrices(e, p)],
  ['GET', '/v1/prices/:id', retrieve(retrievePrice)],
  ['POST', '/v1/prices/:id', ({ e, p, id }) => updatePrice(e, id, p)],

  ['POST', '/v1/checkout/sessions', ({ e, p }) => createSession(e, p)],
  ['GET', '/v1/checkout/sessions', ({ e, p }) => listSessions(e, p)],
  ['GET', '/v1/checkout/sessions/:id', retrieve(retrieveSession)],
  ['POST', '/v1/checkout/sessions/:id', ({ e, p, id }) => updateSession(e, id, p)],
  ['POST', '/v1/checkout/sessions/:id/expire', ({ e, p, id }) => expireSession(e, id, p)],
  ['GET', '/v1/checkout/sessions/:id/line_items', ({ e, p, id }) => listSessionLineItems(e, id, p)],

  ['GET', '/v1/subscriptions', ({ e, p }) => listSubscriptions(e, p)],
  ['GET', '/v1/subscriptions/:id', retrieve(retrieveSubscription)],
  ['POST', '/v1/subscriptions/:id', ({ e, p, id }) => updateSubscription(e, id, p)],
  ['DELETE', '/v1/subscriptions/:id', ({ e, p, id }) => cancelSubscription(e, id, p)],

  ['POST', '/v1/invoices', ({ e, p }) => createOneOffInvoice(e, p)],
  ['GET', '/v1/invoices', ({ e, p }) => listInvoices(e, p)],
  ['GET', '/v1/invoices/:id', retrieve(retrieveInvoice)],
  ['GET', '/v1/invoices/:id/lines', ({ e, p, id }) => listInvoiceLines(e, id, p)],
  ['POST', '/v1/invoices/:id/finalize', ({ e, p, id }) => finalizeInvoiceEndpoint(e, id, p)],
  ['POST', '/v1/invoices/:id/pay', ({ e, p, id }) => payInvoice(e, id, p)],

  ['POST', '/v1/invoiceitems', ({ e, p }) => createInvoiceItem(e, p)],
  ['GET', '/v1/invoiceitems/:id', retrieve(retrieveInvoiceItem)],

  ['GET', '/v1/payment_intents', ({ e, p }) => listPaymentIntents(e, p)],
  ['GET', '/v1/payment_intents/:id', retrieve(retrievePaymentIntent)],

  ['GET', '/v1/charges', ({ e, p }) => listCharges(e, p)],
  ['GET', '/v1/charges/:id', retrieve(retrieveCharge)],

  ['POST', '/v1/refunds', ({ e, p }) => createRefund(e, p)],
  ['GET', '/v1/refunds', ({ e, p }) => listRefunds(e, p)],
  ['GET', '/v1/refunds/:id', retrieve(retrieveRefund)],
  ['POST', '/v1/refunds/:id', ({ e, p, id }) => updateRefund(e, id, p)],
  ['POST', '/v1/refunds/:id/cancel', ({ e, p, id }) => cancelRefund(e, id, p)],

  ['GET', '/v1/disputes', ({ e, p }) => listDisputes(e, p)],
  ['GET', '/v1/disputes/:id', retrieve(retrieveDispute)],
  ['POST', '/v1/disputes/:id/close', ({ e, p, id }) => acceptDispute(e, id, p)],

  ['POST', '/v1/transfers', ({ e, p }) => createTransfer(e, p)],
  ['GET', '/v1/transfers', ({ e, p }) => listTransfers(e, p)],
  ['GET', '/v1/transfers/:id', retrieve(retrieveTransfer)],

  ['GET', '/v1/balance_transactions', ({ e, p }) => listBalanceTransactions(e, p)],
  ['GET', '/v1/balance_transactions/:id', retrieve(retrieveBalanceTransaction)],
  ['GET', '/v1/invoice_payments', ({ e, p }) => listInvoicePayments(e, p)],

  ['GET', '/v1/events', ({ e, p }) => listEvents(e, p)],
  ['GET', '/v1/events/:id', retrieve(retrieveEvent)],

  ['POST', '/v1/accounts', ({ e, p }) => createAccount(e, p)],
  ['GET', '/v1/accounts', ({ e, p }) => listAccounts(e, p)],
  ['GET', '/v1/accounts/:id', retrieve(retrieveAccount)],
  ['POST', '/v1/accounts/:id', ({ e, p, id }) => updateAccount(e, id, p)],
  ['POST', '/v1/accounts/:id/login_links', ({ e, p, id }) => createLoginLink(e, id, p)],
  ['GET', '/v1/account', ({ e, p }) => {
    p.check({ supported: [] });
    return retrievePlatformAccount(e);
  }],
  ['POST', '/v1/account_links', ({ e, p }) => createAccountLink(e, p)],
];

const routes: Route[] = table.map(([method, path, handler]) => ({ method, segments: path.split('/').slice(1), handler }));

/** The handler for a request, with its `:id`; `undefined` when Stripe would not recognise the URL. */
export function matchRoute(method: string, path: string): { handler: Handler; id: string } | undefined {
  const segments = path.split('/').slice(1);
  for (const route of routes) {
    if (route.method !== method || route.segments.length !== segments.length) continue;
    let id = '';
    let ok = true;
    for (let i = 0; i < segments.length; i += 1) {
      if (route.segments[i] === ':id') {
        if (!segments[i]) {
          ok = false;
          break;
        }
        id = decodeURIComponent(segments[i]);
      } else if (route.segments[i] !== segments[i]) {
        ok = false;
        break;
      }
    }
    if (ok) return { handler: route.handler, id };
  }
  return undefined;
}

/** Every endpoint, for the README and the index page. */
export function endpointList(): string[] {
  return table.map(([method, path]) => `${method} ${path}`);
}
