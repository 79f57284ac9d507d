import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { variableDocs } from './describe.js';

export class ConfigError extends Error {
  constructor(readonly problems: Array<{ variable: string; problem: string }>) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the environment against a schema class. Any bad or missing
 * variable raises a ConfigError naming each one (secret values are never echoed).
 */
export function loadConfig<T extends object>(schema: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const docs = variableDocs(schema);
  const known = Object.keys(new schema()).concat([...docs.keys()]);
  const raw: Record<string, unknown> = {};
  for (const key of new Set(known)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const instance = plainToInstance(schema, raw, { exposeDefaultValues: true });
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((error) => {
        const doc = docs.get(error.property);
        const shown = doc?.secret || raw[error.property] === undefined ? '' : ` (got "${String(raw[error.property])}")`;
        const missing = raw[error.property] === undefined ? 'is required' : Object.values(error.constraints ?? {}).join('; ');
        return { variable: error.property, problem: `${missing}${shown}${doc ? ` — ${doc.description}` : ''}` };
      }),
    );
  }
  return instance;
}

/** Lines for `.env.example`, one documented variable at a time. */
export function describeConfig(schema: new () => object): string {
  const defaults = new schema() as Record<string, unknown>;
  return [...variableDocs(schema)]
    .map(([key, doc]) => {
      const fallback = defaults[key];
      const shown = fallback === undefined ? '' : Array.isArray(fallback) ? fallback.join(',') : String(fallback);
      return `# ${doc.description}${doc.secret ? ' [secret]' : ''}${fallback === undefined ? ' [required]' : ''}\n# e.g. ${doc.example ?? shown}\n${key}=${shown}`;
    })
    .join('\n\n');
}

/** The whole `.env.example`: every variable of every process, each documented once. */
export function envExample(schemas: Array<{ title: string; schema: new () => object }>): string {
  const seen = new Set<string>();
  const sections = schemas.map(({ title, schema }) => {
    const blocks = describeConfig(schema)
      .split('\n\n')
      .filter((block) => {
        const name = block.split('\n').at(-1)!.split('=')[0];
        if (seen.has(name)) return false;
        seen.add(name);
        return true;
      });
    return `# ---- ${title} ${'-'.repeat(Math.max(0, 70 - title.length))}\n\n${blocks.join('\n\n')}`;
  });
  return `# Configuration of the Civic Data Marketplace. Generated from libs/config/src/schema.ts\n# (node scripts/write-env-example.mjs); every process validates its variables at boot.\n\n${sections.join('\n\n')}\n`;
}
