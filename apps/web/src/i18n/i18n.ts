import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../api/schema-types';
import en from './en.json' with { type: 'json' };
import zhCN from './zh-CN.json' with { type: 'json' };

export type Language = Locale;

export const languageStorageKey = 'civic.language';

export const resources = {
  'zh-CN': { translation: zhCN },
  en: { translation: en },
} satisfies Record<Language, { translation: typeof en }>;

export const supportedLanguages = Object.keys(resources) as Language[];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (supportedLanguages as string[]).includes(value);
}

/** A stored choice wins; otherwise the browser's first Chinese or English preference. */
export function detectLanguage(stored: string | null, browserLanguages: readonly string[]): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of browserLanguages) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

function readStoredLanguage(): string | null {
  try {
    return window.localStorage.getItem(languageStorageKey);
  } catch {
    return null; // storage disabled (privacy mode): fall back to the browser language
  }
}

function storeLanguage(language: Language): void {
  try {
    window.localStorage.setItem(languageStorageKey, language);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

export const i18n = i18next.createInstance();

export function initI18n(language: Language = detectLanguage(readStoredLanguage(), navigator.languages ?? [])) {
  if (!i18n.isInitialized) {
    void i18n.use(initReactI18next).init({
      resources,
      lng: language,
      fallbackLng: false,
      supportedLngs: supportedLanguages,
      interpolation: { escapeValue: false }, // React escapes
      // One namespace only: keys may contain ':' (API scopes such as "catalog:read").
      nsSeparator: false,
      returnNull: false,
      initAsync: false,
    });
    document.documentElement.lang = language;
  }
  return i18n;
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en';
}

export async function changeLanguage(language: Language): Promise<void> {
  await i18n.changeLanguage(language);
  storeLanguage(language);
  document.documentElement.lang = language;
}
