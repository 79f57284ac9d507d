import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApiConfig, CONFIG_SCHEMAS, trustProxySetting, WorkerConfig } from './schema.js';
import { ConfigError, describeConfig, envExample, loadConfig } from './load-config.js';

const valid = {
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'x'.repeat(40),
};

describe('loadConfig', () => {
  it('applies defaults and converts types', () => {
    const config = loadConfig(ApiConfig, { ...valid, PORT: '4100', CORS_ORIGINS: 'http://a.test, http://b.test', DEMO_MODE: 'true' });
    expect(config.PORT).toBe(4100);
    expect(config.CORS_ORIGINS).toEqual(['http://a.test', 'http://b.test']);
    expect(config.DEMO_MODE).toBe(true);
    expect(config.ACCESS_TOKEN_TTL_SECONDS).toBe(900);
  });

  it('names every missing or bad variable and never echoes secrets', () => {
    let caught: unknown;
    try {
      loadConfig(ApiConfig, { DATABASE_URL: 'mysql://secret-password@x', PORT: 'eighty' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const names = (caught as ConfigError).problems.map((problem) => problem.variable).sort();
    expect(names).toEqual(['DATABASE_URL', 'JWT_SECRET', 'PORT', 'REDIS_URL']);
    expect((caught as ConfigError).message).not.toContain('secret-password');
    expect((caught as ConfigError).message).toContain('"eighty"');
  });

  it('reads TRUST_PROXY as a flag, a hop count or an address list', () => {
    expect(trustProxySetting(loadConfig(ApiConfig, { ...valid, TRUST_PROXY: '1' }).TRUST_PROXY)).toBe(1);
    expect(trustProxySetting(loadConfig(ApiConfig, { ...valid }).TRUST_PROXY)).toBe(false);
    expect(trustProxySetting(loadConfig(ApiConfig, { ...valid, TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).TRUST_PROXY)).toBe('10.0.0.0/8,127.0.0.1');
    expect(() => loadConfig(ApiConfig, { ...valid, TRUST_PROXY: 'everyone; rm -rf' })).toThrow(/TRUST_PROXY/);
  });

  it('does not require API secrets in the worker', () => {
    expect(loadConfig(WorkerConfig, { DATABASE_URL: valid.DATABASE_URL, REDIS_URL: valid.REDIS_URL }).WORKER_CONCURRENCY).toBe(10);
  });

  it('documents every variable', () => {
    const text = describeConfig(ApiConfig);
    for (const key of ['DATABASE_URL', 'JWT_SECRET', 'PORT', 'CORS_ORIGINS', 'LOG_LEVEL']) expect(text).toContain(`\n${key}=`);
    expect(text).toMatch(/JWT_SECRET.*\[secret\]|\[secret\][^\n]*\n[^\n]*\nJWT_SECRET/s);
  });
});

describe('.env.example', () => {
  it('is up to date with the schema (regenerate: node scripts/write-env-example.mjs)', () => {
    const committed = readFileSync(path.resolve(process.cwd(), '../../.env.example'), 'utf8');
    expect(committed).toBe(envExample(CONFIG_SCHEMAS));
  });
});
