import { apiKeyMatches, generateApiKey, hashApiKey, parseApiKeyPrefix } from './api-key.js';

describe('API keys', () => {
  it('generates distinct keys whose prefix parses back and whose hash matches', () => {
    const seen = new Set<string>();
    for (let index = 0; index < 200; index += 1) {
      const generated = generateApiKey();
      expect(parseApiKeyPrefix(generated.key)).toBe(generated.prefix);
      expect(apiKeyMatches(generated.key, generated.hash)).toBe(true);
      seen.add(generated.key);
    }
    expect(seen.size).toBe(200);
  });

  it('rejects malformed candidates and wrong secrets', () => {
    const generated = generateApiKey();
    expect(parseApiKeyPrefix('cdm_short')).toBeNull();
    expect(parseApiKeyPrefix(`${generated.key}' OR 1=1 --`)).toBeNull();
    expect(apiKeyMatches(`${generated.key.slice(0, -1)}A`, generated.hash)).toBe(generated.key.endsWith('A'));
    expect(hashApiKey(generated.key)).toBe(generated.hash);
  });
});

import { generateOpaqueToken, hashOpaqueToken, slugify } from './opaque-token.js';

describe('opaque tokens and slugs', () => {
  it('makes unique URL-safe tokens with stable hashes', () => {
    const token = generateOpaqueToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateOpaqueToken()).not.toBe(token);
    expect(hashOpaqueToken(token)).toBe(hashOpaqueToken(token));
    expect(hashOpaqueToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('slugifies mixed Chinese and English names', () => {
    expect(slugify('港湾物流 Harbor Logistics', 'enterprise')).toBe('harbor-logistics');
    expect(slugify('市水务局', 'agency')).toBe('agency');
    expect(slugify("Robert'); DROP TABLE users;--", 'x')).toBe('robert-drop-table-users');
  });
});
