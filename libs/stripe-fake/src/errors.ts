/** The body of a Stripe error response: `{ error: { type, code?, message, param? } }`. */
export interface StripeErrorBody {
  type: 'invalid_request_error' | 'idempotency_error' | 'card_error' | 'api_error';
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  payment_intent?: unknown;
  request_log_url?: string;
}

/** An error the fake answers with, shaped and numbered like Stripe's. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }
}

const DOCS = 'https://docs.stripe.com/error-codes';

/** 400 invalid_request_error. */
export function invalid(message: string, param?: string, code?: string): ApiError {
  return new ApiError(400, {
    type: 'invalid_request_error',
    message,
    ...(param !== undefined ? { param } : {}),
    ...(code !== undefined ? { code, doc_url: `${DOCS}/${code.replace(/_/g, '-')}` } : {}),
  });
}

/** 404 for an id in the path that does not exist: `No such customer: 'cus_x'`. */
export function notFound(kind: string, id: string, param = 'id'): ApiError {
  return new ApiError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    doc_url: `${DOCS}/resource-missing`,
    message: `No such ${kind}: '${id}'`,
    param,
  });
}

/** 400 for an id in the parameters that does not exist (Stripe answers 400, not 404, here). */
export function missingReference(kind: string, id: string, param: string): ApiError {
  return new ApiError(400, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    doc_url: `${DOCS}/resource-missing`,
    message: `No such ${kind}: '${id}'`,
    param,
  });
}

export function missingParam(param: string): ApiError {
  return invalid(`Missing required param: ${param}.`, param, 'parameter_missing');
}

export function unknownParam(param: string): ApiError {
  return invalid(`Received unknown parameter: ${param}`, param, 'parameter_unknown');
}

/** A parameter Stripe has but the fake does not implement: fail loudly rather than ignore it. */
export function unsupportedParam(param: string, endpoint: string): ApiError {
  return invalid(
    `stripe-fake does not implement the parameter \`${param}\` of ${endpoint}. Extend libs/stripe-fake or avoid it in tests.`,
    param,
    'parameter_unknown',
  );
}

/** 402 card_error, as a declined card on `POST /v1/invoices/:id/pay`. */
export function cardDeclined(paymentIntent?: unknown): ApiError {
  return new ApiError(402, {
    type: 'card_error',
    code: 'card_declined',
    decline_code: 'generic_decline',
    doc_url: `${DOCS}/card-declined`,
    message: 'Your card was declined.',
    ...(paymentIntent !== undefined ? { payment_intent: paymentIntent } : {}),
  });
}
