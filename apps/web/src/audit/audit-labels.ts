import type { TFunction } from 'i18next';
import { i18n } from '../i18n/i18n';

/**
 * An audit action in the reader's words (`audit.actions.<code>`; a licence's status change by
 * its event, `commerce.vocab.events`), or null for a code this version of the console does not
 * know yet (the code itself is shown then).
 */
export function auditActionLabel(action: string, t: TFunction): string | null {
  const key = `audit.actions.${action}`;
  if (i18n.exists(key)) return t(key as never);
  const event = action.startsWith('license.') ? `commerce.vocab.events.${action.slice('license.'.length)}` : null;
  if (event && i18n.exists(event)) return t('audit.licenseEvent', { event: t(event as never) });
  return null;
}

/**
 * What an event is about: its type in the reader's words (or the type as recorded), then what
 * the server says it is called now (in the reader's language) or, without a name, a short id.
 */
export function auditTargetLabel(targetType: string, targetId: string | null, t: TFunction, name?: { zh: string; en: string } | null): string {
  const key = `audit.targets.${targetType}`;
  const type = i18n.exists(key) ? t(key as never) : targetType;
  if (name) return `${type} · ${i18n.language.startsWith('zh') ? name.zh : name.en}`;
  return targetId ? `${type} ${targetId.slice(0, 8)}` : type;
}
