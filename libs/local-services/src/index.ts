export { findFreePort } from './ports.js';
export {
  createIsolatedDatabase,
  databaseUrl,
  DEFAULT_POSTGRES_PORT,
  EMBEDDED_PASSWORD,
  EMBEDDED_USER,
  embeddedPostgresUrl,
  ensureDatabase,
  resolvePostgres,
  type IsolatedDatabase,
  type PostgresHandle,
  type ResolvePostgresOptions,
} from './postgres.js';
export {
  checkRedisEvictionPolicy,
  DEFAULT_LOCAL_REDIS_URL,
  findOnPath,
  pingRedis,
  resolveRedis,
  spawnRedisServer,
  type RedisHandle,
  type ResolveRedisOptions,
  type SpawnRedisOptions,
} from './redis.js';
export type { Log } from './util.js';
export { redactUrl } from './util.js';
