import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Scopes an API key can carry. Keys act for their organization, within these scopes only. */
export const API_KEY_SCOPES = ['catalog:read', 'data:read', 'usage:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const KEY_PREFIX = 'cdm';

export interface GeneratedApiKey {
  /** The full secret, shown to its creator once and never stored. */
  key: string;
  /** Visible identifier (`cdm_xxxxxxxx`) stored in clear to find the key and show it in lists. */
  prefix: string;
  /** sha256 of the full key: keys have 192 bits of entropy, so a slow hash adds nothing. */
  hash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const id = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8).toLowerCase();
  const secret = randomBytes(24).toString('base64url');
  const prefix = `${KEY_PREFIX}_${id}`;
  const key = `${prefix}_${secret}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Returns the prefix of a well-formed key, or null for anything that cannot be one. */
export function parseApiKeyPrefix(candidate: string): string | null {
  const match = /^(cdm_[a-z0-9x]{8})_[A-Za-z0-9_-]{32}$/.exec(candidate);
  return match ? match[1] : null;
}

export function apiKeyMatches(candidate: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(candidate), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
