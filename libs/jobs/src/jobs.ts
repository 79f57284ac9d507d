import type { FlowJob, JobsOptions } from 'bullmq';

/**
 * Every queue and job of the platform, typed once. Producers (API) and processors
 * (worker) both import from here; the worker refuses to start unless each job name
 * below has exactly one processor.
 */
export const QUEUES = {
  audit: 'audit',
  notifications: 'notifications',
  catalog: 'catalog',
  derive: 'derive',
  products: 'products',
  payments: 'payments',
  metering: 'metering',
  billing: 'billing',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  /** Re-verify the audit hash chain from the last verified point to the head. */
  'audit.verify-chain': { trigger: 'schedule' | 'manual'; requestedBy?: string };
  /** Deliver one message of the transactional outbox (written with the action that caused it). */
  'notifications.deliver': { outboxMessageId: string };
  /** Re-queue outbox messages whose delivery job never ran (e.g. Redis was down at commit). */
  'notifications.sweep-outbox': { olderThanSeconds: number };
  /** Turn one uploaded file into a dataset version (convert, profile, publish). */
  'catalog.ingest': { ingestionId: string };
  /** Re-queue ingestions whose job never ran or whose worker died mid-way. */
  'catalog.sweep-ingestions': { olderThanSeconds: number };
  /** The derive flow's stages for one run, in order: each is a job of its own (see deriveFlow). */
  'derive.validate': { runId: string };
  'derive.materialize': { runId: string };
  'derive.gate': { runId: string };
  'derive.profile': { runId: string };
  'derive.publish': { runId: string };
  /** Re-queue derivation runs whose flow never reached Redis or whose worker died mid-way. */
  'derive.sweep-runs': { olderThanSeconds: number };
  /** A dataset or product got a new version: re-derive every product built on it. */
  'products.refresh-dependents': { datasetVersionId?: string; productVersionId?: string };
  /** Apply one stored payment provider event (re-reading the object from the provider). */
  'payments.provider-event': { provider: 'stripe'; eventId: string };
  /** Catch provider events whose webhook never arrived, re-queue stored ones never applied, and queue the sync of offers Stripe is behind on. */
  'payments.sweep-events': { lookbackSeconds: number };
  /** Converge the Stripe catalog to one offer: its current revision's Price active while published, its other Prices inactive. */
  'payments.sync-offer': { offerId: string };
  /** A product's titles changed: rename its Stripe Product (if it has one). */
  'payments.sync-product': { productId: string };
  /** Licence housekeeping: renewal invoices of offline subscriptions, dunning, ends of periods and terms. */
  'payments.sweep-licenses': { trigger: 'schedule' | 'manual' };
  /** Usage tables' housekeeping: the monthly partitions ahead exist; keys past the replay window are forgotten. */
  'metering.maintain': { trigger: 'schedule' | 'manual' };
  /** Close every billing period that has ended: rate its usage, issue its usage invoice (once), post it to the ledger. */
  'billing.close': { trigger: 'schedule' | 'manual' };
  /** Pay a period's prepared vendor payouts by Stripe Connect transfer (each once: the transfer's idempotency key). */
  'billing.settle': { period: string };
  /** Charge one usage or adjustment invoice of a Stripe licence to the buyer's card through a Stripe invoice (once). */
  'billing.collect': { invoiceId: string };
}

export type JobName = keyof JobPayloads;

/** Which queue carries each job. */
export const JOB_QUEUE: { readonly [Name in JobName]: QueueName } = {
  'audit.verify-chain': QUEUES.audit,
  'notifications.deliver': QUEUES.notifications,
  'notifications.sweep-outbox': QUEUES.notifications,
  'catalog.ingest': QUEUES.catalog,
  'catalog.sweep-ingestions': QUEUES.catalog,
  'derive.validate': QUEUES.derive,
  'derive.materialize': QUEUES.derive,
  'derive.gate': QUEUES.derive,
  'derive.profile': QUEUES.derive,
  'derive.publish': QUEUES.derive,
  'derive.sweep-runs': QUEUES.products,
  'products.refresh-dependents': QUEUES.products,
  'payments.provider-event': QUEUES.payments,
  'payments.sweep-events': QUEUES.payments,
  'payments.sweep-licenses': QUEUES.payments,
  'payments.sync-offer': QUEUES.payments,
  'payments.sync-product': QUEUES.payments,
  'metering.maintain': QUEUES.metering,
  'billing.close': QUEUES.billing,
  'billing.settle': QUEUES.billing,
  'billing.collect': QUEUES.billing,
};

export const JOB_NAMES = Object.keys(JOB_QUEUE) as JobName[];

export type JobOf<Name extends JobName> = { name: Name; data: JobPayloads[Name] };
export type AnyJob = { [Name in JobName]: JobOf<Name> }[JobName];

const DEFAULTS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/**
 * Job options in one place. A deduplicating job id makes a second enqueue of the same
 * logical job a no-op while the first is still known to Redis.
 */
export function jobOptions(job: AnyJob): JobsOptions {
  switch (job.name) {
    case 'audit.verify-chain':
      return { ...DEFAULTS, attempts: 3 };
    case 'notifications.deliver':
      return { ...DEFAULTS, jobId: `outbox-${job.data.outboxMessageId}` };
    case 'notifications.sweep-outbox':
    case 'catalog.sweep-ingestions':
    case 'derive.sweep-runs':
      return { ...DEFAULTS, attempts: 1 };
    case 'derive.validate':
    case 'derive.materialize':
    case 'derive.gate':
    case 'derive.profile':
    case 'derive.publish':
      // A vendor's mistake (bad SQL, a refused output) fails the run, not the job; retries are
      // for outages. A failed stage fails the rest of the flow.
      return {
        ...DEFAULTS,
        attempts: 3,
        backoff: { type: 'exponential', delay: 3_000 },
        jobId: `${job.name}-${job.data.runId}`,
        failParentOnFailure: true,
      };
    case 'products.refresh-dependents':
      return {
        ...DEFAULTS,
        attempts: 5,
        jobId: `refresh-${job.data.datasetVersionId ?? 'd'}-${job.data.productVersionId ?? 'p'}`,
      };
    case 'payments.provider-event':
      return { ...DEFAULTS, attempts: 8, backoff: { type: 'exponential', delay: 2_000 }, jobId: `provider-event-${job.data.provider}-${job.data.eventId}` };
    case 'payments.sweep-events':
    case 'payments.sweep-licenses':
      return { ...DEFAULTS, attempts: 1 };
    case 'payments.sync-offer':
    case 'payments.sync-product':
      // Idempotent and convergent (each run reads the offer or product as it stands), so every change
      // gets its own job: a deduplicating id would drop a change made while an earlier job is known.
      return { ...DEFAULTS, attempts: 8, backoff: { type: 'exponential', delay: 5_000 } };
    case 'metering.maintain':
      return { ...DEFAULTS, attempts: 3 };
    case 'billing.close':
      // Concurrent or repeated closes are safe (row locks and the invoice's unique key); retries are for outages.
      return { ...DEFAULTS, attempts: 5 };
    case 'billing.settle':
      // Idempotent (each transfer's idempotency key is its settlement), so no deduplicating id is needed.
      return { ...DEFAULTS, attempts: 5 };
    case 'billing.collect':
      // Idempotent (Stripe idempotency keys from the invoice, one payment per Stripe invoice); the id
      // makes the close's re-queueing of invoices not yet sent to Stripe a no-op while a job is known.
      return { ...DEFAULTS, attempts: 8, backoff: { type: 'exponential', delay: 5_000 }, jobId: `billing-collect-${job.data.invoiceId}` };
    case 'catalog.ingest':
      // A bad file fails the ingestion (not the job) with a reason; retries are for outages.
      return { ...DEFAULTS, attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, jobId: `ingest-${job.data.ingestionId}` };
  }
}

/** Repeating schedules (BullMQ job schedulers), upserted by the worker at start-up. */
export const SCHEDULES: ReadonlyArray<{ id: string; job: AnyJob; everyMs: number }> = [
  { id: 'audit-verify-hourly', job: { name: 'audit.verify-chain', data: { trigger: 'schedule' } }, everyMs: 3_600_000 },
  // Most notices (products, licences, reviews) are written in their transaction and delivered by this sweep within seconds.
  { id: 'outbox-sweep', job: { name: 'notifications.sweep-outbox', data: { olderThanSeconds: 5 } }, everyMs: 15_000 },
  { id: 'ingestion-sweep', job: { name: 'catalog.sweep-ingestions', data: { olderThanSeconds: 600 } }, everyMs: 300_000 },
  { id: 'derivation-sweep', job: { name: 'derive.sweep-runs', data: { olderThanSeconds: 900 } }, everyMs: 300_000 },
  { id: 'provider-event-sweep', job: { name: 'payments.sweep-events', data: { lookbackSeconds: 3 * 24 * 3600 } }, everyMs: 600_000 },
  { id: 'license-sweep', job: { name: 'payments.sweep-licenses', data: { trigger: 'schedule' } }, everyMs: 900_000 },
  { id: 'metering-maintenance', job: { name: 'metering.maintain', data: { trigger: 'schedule' } }, everyMs: 6 * 3_600_000 },
  { id: 'billing-close', job: { name: 'billing.close', data: { trigger: 'schedule' } }, everyMs: 900_000 },
];

/** The stages of the derive flow, first to last. */
export const DERIVE_STAGE_JOBS = ['derive.validate', 'derive.materialize', 'derive.gate', 'derive.profile', 'derive.publish'] as const;
export type DeriveStageJob = (typeof DERIVE_STAGE_JOBS)[number];

/** The largest priority BullMQ accepts (`priority` ranges over 0..2^21-1). */
export const MAX_JOB_PRIORITY = 2_097_151;

/**
 * The derive flow of one run as a BullMQ flow: a chain in which each stage is the child of
 * the next, so BullMQ runs validate first and publish last, and a stage that fails for good
 * fails the stages after it. Job ids are derived from the run: adding the same flow twice
 * while it is known to Redis is a no-op (the first flow's priority stands).
 *
 * `priority` orders runs fairly across organizations (`derivationPriority` in `@civic/domain`,
 * from the organization's live runs ahead of this one; lower goes first, equal ones in the
 * order queued). It is the first stage's: it decides when the run starts. The later stages have
 * no priority, and BullMQ takes jobs without one (its wait list) before every prioritized job,
 * so once a run has begun its next stage goes before any other run's first: the runs in
 * progress finish before new ones start. A priority of 0 (a run that has begun already) gives
 * the first stage no priority either.
 */
export function deriveFlow(runId: string, { priority }: { priority: number }): FlowJob {
  if (!Number.isInteger(priority) || priority < 0 || priority > MAX_JOB_PRIORITY) throw new RangeError(`invalid derive flow priority ${priority}`);
  let flow: FlowJob | undefined;
  for (const name of DERIVE_STAGE_JOBS) {
    const job = { name, data: { runId } } as AnyJob;
    const opts = name === DERIVE_STAGE_JOBS[0] && priority > 0 ? { ...jobOptions(job), priority } : jobOptions(job);
    flow = { name, queueName: JOB_QUEUE[name], data: { runId }, opts, children: flow ? [flow] : undefined };
  }
  return flow!;
}

/** BullMQ key prefix; wrapped in a hash tag so a Redis Cluster keeps a queue's keys together. */
export function queuePrefix(base = 'civic'): string {
  return `{${base}}`;
}
