import zxcvbnCore from '@zxcvbn-ts/core';
import zxcvbnCommon from '@zxcvbn-ts/language-common';
import { DomainError } from '../errors/domain-error.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './login-backoff.js';

// zxcvbn estimates guessability against common passwords, names, keyboard patterns and
// dates; 3 of 4 means "safely unguessable" (about 10^8 guesses) in its scale.
const MIN_SCORE = 3;

const estimator = new zxcvbnCore.ZxcvbnFactory({
  dictionary: { ...zxcvbnCommon.dictionary },
  graphs: zxcvbnCommon.adjacencyGraphs,
});

export type PasswordProblem = 'too_short' | 'too_long' | 'too_guessable';

/**
 * Whether a new password is acceptable. `related` are words the person's own data makes
 * easy to guess (email, name, organization): a password built from them is refused too.
 */
export function assessPassword(password: string, related: readonly string[] = []): { ok: true } | { ok: false; problem: PasswordProblem; hint: string | null } {
  if ([...password].length < PASSWORD_MIN_LENGTH) return { ok: false, problem: 'too_short', hint: null };
  if ([...password].length > PASSWORD_MAX_LENGTH) return { ok: false, problem: 'too_long', hint: null };
  const inputs = related.flatMap((value) => value.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter((word) => word.length >= 3);
  const result = estimator.check(password, inputs);
  if (result.score >= MIN_SCORE) return { ok: true };
  return { ok: false, problem: 'too_guessable', hint: result.feedback.warning ?? null };
}

/** Throws `identity.weak_password` (a validation error on the `password` field) unless acceptable. */
export function requireAcceptablePassword(password: string, related: readonly string[] = []): void {
  const assessment = assessPassword(password, related);
  if (assessment.ok) return;
  const message =
    assessment.problem === 'too_guessable'
      ? `This password is too easy to guess${assessment.hint ? `: ${assessment.hint}` : ''}. Use a longer passphrase of unrelated words.`
      : `Passwords must have ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`;
  throw new DomainError('identity.weak_password', message, [{ field: 'password', messages: [message] }]);
}
