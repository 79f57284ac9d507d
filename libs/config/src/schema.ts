import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { Variable } from './describe.js';

const toBoolean = ({ value }: { value: unknown }) => (value === undefined ? undefined : value === true || value === 'true' || value === '1');
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : value;

/** Variables every process reads. */
export class CommonConfig {
  @Variable({ description: 'Runtime mode.', example: 'production' })
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Variable({ description: 'PostgreSQL connection URL.', secret: true, example: 'postgres://civic:civic@127.0.0.1:5432/civic' })
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  DATABASE_URL: string;

  @Variable({ description: 'Connections per process in the PostgreSQL pool.', example: '10' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @Variable({ description: 'Redis URL for queues and rate limits (AOF on, maxmemory-policy noeviction).', secret: true, example: 'redis://127.0.0.1:6379' })
  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// URL' })
  REDIS_URL: string;

  @Variable({ description: 'Prefix of every BullMQ key, so several deployments can share one Redis.', example: 'civic' })
  @Matches(/^[a-z0-9_-]{1,40}$/)
  QUEUE_PREFIX = 'civic';

  @Variable({ description: 'Public URL of the web app, used in invitation links and in the links of e-mails.', example: 'https://data.example.gov.cn' })
  @IsUrl({ require_tld: false, require_protocol: true })
  PUBLIC_WEB_URL = 'http://localhost:5173';

  @Variable({ description: 'pino log level.', example: 'info' })
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Variable({ description: 'Pretty, human-readable logs instead of JSON lines (development only).', example: 'false' })
  @Transform(toBoolean)
  @IsBoolean()
  LOG_PRETTY = false;

  @Variable({ description: 'Directory of the local object store (uploads, dataset Parquet files); API and worker must share it. Unused when S3_BUCKET is set.', example: '/var/lib/civic/storage' })
  @IsString()
  @MinLength(1)
  STORAGE_DIR = '.data/storage';

  @Variable({ description: 'S3 bucket for objects; when set, S3-compatible storage is used instead of STORAGE_DIR.', example: 'civic-data' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be a valid S3 bucket name' })
  S3_BUCKET?: string;

  @Variable({ description: 'S3 region.', example: 'us-east-1' })
  @IsString()
  S3_REGION = 'us-east-1';

  @Variable({ description: 'S3 endpoint for S3-compatible stores such as MinIO (empty for AWS).', example: 'http://127.0.0.1:9000' })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  S3_ENDPOINT?: string;

  @Variable({ description: 'Path-style S3 addressing (MinIO needs it).', example: 'true' })
  @Transform(toBoolean)
  @IsBoolean()
  S3_FORCE_PATH_STYLE = false;

  @Variable({ description: 'S3 access key id (else the AWS SDK default credential chain).', secret: true, example: 'minioadmin' })
  @IsOptional()
  @IsString()
  S3_ACCESS_KEY_ID?: string;

  @Variable({ description: 'S3 secret access key.', secret: true, example: 'minioadmin' })
  @IsOptional()
  @IsString()
  S3_SECRET_ACCESS_KEY?: string;

  @Variable({ description: 'Stripe secret key. When set, purchases are paid through Stripe Checkout; otherwise through offline invoices (bank transfer, marked paid by finance).', secret: true, example: 'sk_live_...' })
  @IsOptional()
  @Matches(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, { message: 'must be a Stripe secret or restricted key (sk_... / rk_...)' })
  STRIPE_SECRET_KEY?: string;

  @Variable({ description: 'Signing secret of the Stripe webhook endpoint /api/v1/payments/stripe/webhook.', secret: true, example: 'whsec_...' })
  @IsOptional()
  @Matches(/^whsec_[A-Za-z0-9_]+$/, { message: 'must be a Stripe webhook signing secret (whsec_...)' })
  STRIPE_WEBHOOK_SECRET?: string;

  @Variable({ description: 'Base URL of a Stripe-compatible API instead of api.stripe.com (a local test double).', example: 'http://127.0.0.1:12111' })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  STRIPE_API_URL?: string;

  @Variable({ description: 'Currency of new offers (ISO 4217).', example: 'CNY' })
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code such as CNY' })
  DEFAULT_CURRENCY = 'CNY';

  @Variable({ description: 'Days a buyer has to pay an offline invoice.', example: '14' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(120)
  INVOICE_DUE_DAYS = 14;

  @Variable({ description: 'Days a licence stays usable while past due before it is suspended.', example: '7' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60)
  LICENSE_GRACE_DAYS = 7;
}

/** Variables of the HTTP API. */
export class ApiConfig extends CommonConfig {
  @Variable({ description: 'Address the API listens on.', example: '0.0.0.0' })
  @IsString()
  HOST = '0.0.0.0';

  @Variable({ description: 'Port the API listens on.', example: '3000' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Variable({ description: 'HMAC secret signing access tokens (at least 32 characters).', secret: true, example: 'change-me-to-a-long-random-string-of-64-chars' })
  @IsString()
  @MinLength(32)
  JWT_SECRET: string;

  @Variable({ description: 'Data API requests per minute under one licence (or by a product owner on its product); more answer 429 with Retry-After.', example: '600' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  DATA_RATE_LIMIT_PER_MINUTE = 600;

  @Variable({ description: 'How long a signed download link works, in seconds.', example: '900' })
  @Type(() => Number)
  @IsInt()
  @Min(30)
  @Max(86_400)
  DATA_LINK_TTL_SECONDS = 900;

  @Variable({ description: 'Time limit of one data API query, in milliseconds.', example: '10000' })
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(300_000)
  DATA_QUERY_TIMEOUT_MS = 10_000;

  @Variable({ description: 'DuckDB memory limit of the data API (all its queries together).', example: '512MB' })
  @Matches(/^\d+(\.\d+)?\s?(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/, { message: 'must be a size such as 512MB or 2GB' })
  DATA_QUERY_MEMORY_LIMIT = '512MB';

  @Variable({ description: 'DuckDB threads of the data API.', example: '2' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  DATA_QUERY_THREADS = 2;

  @Variable({ description: 'Scratch directory of the data API (page files, local copies of S3 objects). Empty: the OS temp directory.', example: '/var/tmp/civic-data' })
  @IsOptional()
  @IsString()
  DATA_WORK_DIR?: string;

  @Variable({ description: 'Lifetime of an access token, in seconds.', example: '900' })
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(3600)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Variable({ description: 'Lifetime of a refresh token, in days.', example: '14' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(90)
  REFRESH_TOKEN_TTL_DAYS = 14;

  @Variable({ description: 'Seconds during which re-presenting a just-rotated refresh token (a second tab) is not treated as theft.', example: '10' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(120)
  REFRESH_REUSE_GRACE_SECONDS = 10;

  @Variable({ description: 'Lifetime of an invitation, in hours.', example: '168' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(720)
  INVITATION_TTL_HOURS = 168;

  @Variable({ description: 'Mark cookies Secure (HTTPS only). Defaults to true in production.', example: 'true' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  COOKIE_SECURE?: boolean;

  @Variable({ description: 'Comma-separated origins allowed by CORS.', example: 'https://data.example.gov.cn' })
  @Transform(toList)
  @IsUrl({ require_tld: false, require_protocol: true }, { each: true })
  CORS_ORIGINS: string[] = ['http://localhost:5173', 'http://127.0.0.1:5173'];

  @Variable({ description: 'Largest accepted JSON request body, in bytes.', example: '1048576' })
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

  @Variable({ description: 'Requests per minute per client address, all routes.', example: '600' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 600;

  @Variable({ description: 'Login, sign-up and invitation attempts per minute per client address.', example: '10' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT_PER_MINUTE = 10;

  @Variable({
    description: 'Which proxies to trust for X-Forwarded-*: false, a hop count (e.g. 1 behind one ingress), or comma-separated addresses/CIDRs. "true" trusts every hop, letting clients pick the address they are rate-limited by.',
    example: '1',
  })
  @Matches(/^(true|false|\d{1,2}|[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*)$/, { message: 'must be true, false, a hop count or a list of addresses/CIDRs' })
  TRUST_PROXY = 'false';

  @Variable({ description: 'Largest accepted dataset upload, in bytes (default 2 GiB).', example: '2147483648' })
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  UPLOAD_MAX_BYTES = 2 * 1024 ** 3;

  @Variable({ description: 'Let the CKAN harvester fetch from private and loopback addresses (off: only public hosts).', example: 'false' })
  @Transform(toBoolean)
  @IsBoolean()
  HARVEST_ALLOW_PRIVATE_NETWORKS = false;

  @Variable({
    description: 'Answer catalog searches from an in-process index kept in step with PostgreSQL (off: every search is a PostgreSQL text-search query).',
    example: 'on',
  })
  @IsIn(['on', 'off'])
  CATALOG_SEARCH_INDEX: 'on' | 'off' = 'on';

  @Variable({ description: 'Public URL of the API, used in DCAT and CKAN links.', example: 'https://data.example.gov.cn' })
  @IsUrl({ require_tld: false, require_protocol: true })
  PUBLIC_API_URL = 'http://localhost:3000';

  @Variable({ description: 'Demo mode: demo data and documented demo passwords. Never in production.', example: 'false' })
  @Transform(toBoolean)
  @IsBoolean()
  DEMO_MODE = false;
}

/** Variables of the queue worker. */
export class WorkerConfig extends CommonConfig {
  @Variable({ description: 'Jobs processed at once per queue by one worker process.', example: '10' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  WORKER_CONCURRENCY = 10;

  @Variable({
    description:
      'On SIGTERM, how long running jobs may take to finish, in seconds; after it the worker lets go of them and exits (BullMQ hands them to another worker: every job is idempotent).',
    example: '5',
  })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600)
  WORKER_SHUTDOWN_GRACE_SECONDS = 5;

  @Variable({
    description: 'SMTP relay for e-mail (invitations, notices), such as smtps://user:pass@smtp.example.gov.cn:465. Empty: messages are logged (envelope only) and marked delivered, not sent.',
    secret: true,
    example: 'smtp://127.0.0.1:25',
  })
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @Variable({ description: 'Sender of e-mail (From), a name and an address.', example: 'Civic Data Marketplace <no-reply@data.example.gov.cn>' })
  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Civic Data Marketplace <no-reply@localhost>';

  @Variable({ description: 'Refuse to start when Redis maxmemory-policy is not noeviction.', example: 'true' })
  @Transform(toBoolean)
  @IsBoolean()
  REQUIRE_NOEVICTION = true;

  @Variable({ description: 'Ingestion jobs run at once by one worker process (each uses INGEST_THREADS DuckDB threads).', example: '1' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(16)
  INGEST_CONCURRENCY = 1;

  @Variable({ description: 'DuckDB memory limit per ingestion.', example: '1GB' })
  @Matches(/^\d+(\.\d+)?\s?(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/, { message: 'must be a size such as 512MB or 2GB' })
  INGEST_MEMORY_LIMIT = '1GB';

  @Variable({ description: 'DuckDB threads per ingestion.', example: '2' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  INGEST_THREADS = 2;

  @Variable({ description: 'Scratch directory for ingestion (transcoded copies, DuckDB spill files). Empty: the OS temp directory.', example: '/var/tmp/civic-ingest' })
  @IsOptional()
  @IsString()
  INGEST_WORK_DIR?: string;

  @Variable({ description: 'Derivation stages run at once by one worker process (each uses DERIVE_THREADS DuckDB threads).', example: '1' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(16)
  DERIVE_CONCURRENCY = 1;

  @Variable({ description: 'DuckDB memory limit of one derivation (the sandbox refuses more).', example: '2GB' })
  @Matches(/^\d+(\.\d+)?\s?(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/, { message: 'must be a size such as 512MB or 2GB' })
  DERIVE_MEMORY_LIMIT = '2GB';

  @Variable({ description: "DuckDB memory limit of one run's privacy gate and profile (a DuckDB instance per run; more fails the run).", example: '2GB' })
  @Matches(/^\d+(\.\d+)?\s?(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/, { message: 'must be a size such as 512MB or 2GB' })
  DERIVE_GATE_MEMORY_LIMIT = '2GB';

  @Variable({ description: 'DuckDB threads of one derivation (and of its privacy gate).', example: '2' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  DERIVE_THREADS = 2;

  @Variable({ description: "Time limit of one derivation's materialization, and of its privacy gate, in seconds.", example: '900' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  DERIVE_TIMEOUT_SECONDS = 900;
}

/** Every process's schema, in the order `.env.example` lists them. */
export const CONFIG_SCHEMAS = [
  { title: 'shared by API and worker', schema: CommonConfig },
  { title: 'API', schema: ApiConfig },
  { title: 'worker', schema: WorkerConfig },
];

/** Fastify's `trustProxy` option from TRUST_PROXY. */
export function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
