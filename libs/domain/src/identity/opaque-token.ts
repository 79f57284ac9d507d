import { createHash, randomBytes } from 'node:crypto';

/** A random bearer secret (refresh tokens, invitation tokens): 256 bits, URL-safe. */
export function generateOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Stored form of an opaque token: its sha256, so a database leak does not leak sessions. */
export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A URL slug from a name; names written only in Chinese fall back to the kind. */
export function slugify(name: string, fallback: string): string {
  const ascii = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return ascii || fallback;
}
