import { assessPassword } from './password-policy.js';

describe('password policy', () => {
  it('refuses short, repetitive, common and keyboard-pattern passwords', () => {
    expect(assessPassword('short')).toMatchObject({ ok: false, problem: 'too_short' });
    for (const weak of ['aaaaaaaaaa', 'password123', 'qwertyuiop', '1234567890', 'iloveyou123']) {
      expect({ weak, result: assessPassword(weak) }).toMatchObject({ weak, result: { ok: false, problem: 'too_guessable' } });
    }
  });

  it('refuses a password made from the person’s own details', () => {
    expect(assessPassword('harborlogistics2026', ['buyer@harborlogistics.test', 'Harbor Logistics']).ok).toBe(false);
  });

  it('accepts long, unpredictable passphrases', () => {
    for (const strong of ['a-strong-password-1', 'correct horse battery', 'Tq7#vLm2pX9!']) expect(assessPassword(strong)).toEqual({ ok: true });
  });
});
