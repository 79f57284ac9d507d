import { CLASSIFICATION_KEYS, isStricter, mayReceiveRows, THEMES } from './vocabulary.js';

describe('catalog vocabulary and supervised opening', () => {
  it('labels every theme in both languages', () => {
    for (const term of Object.values(THEMES)) {
      expect(term.zh).toMatch(/\p{Script=Han}/u);
      expect(term.en).toMatch(/^[A-Z]/);
    }
  });

  it('orders classifications by strictness', () => {
    expect(isStricter('conditional', 'open')).toBe(true);
    expect(isStricter('restricted', 'conditional')).toBe(true);
    expect(isStricter('open', 'restricted')).toBe(false);
    for (const classification of CLASSIFICATION_KEYS) expect(isStricter(classification, classification)).toBe(false);
  });

  it('never delivers restricted rows, and conditional rows only with a grant or to the owner', () => {
    const nobody = { hasActiveGrant: false, isOwningAgency: false };
    expect(mayReceiveRows('open', nobody)).toBe(true);
    expect(mayReceiveRows('conditional', nobody)).toBe(false);
    expect(mayReceiveRows('conditional', { ...nobody, hasActiveGrant: true })).toBe(true);
    expect(mayReceiveRows('conditional', { ...nobody, isOwningAgency: true })).toBe(true);
    expect(mayReceiveRows('restricted', { hasActiveGrant: true, isOwningAgency: true })).toBe(false);
  });
});
