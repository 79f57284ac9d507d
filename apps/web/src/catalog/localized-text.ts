export interface LocalizedText {
  /** In the reader's language when written, else in the other one. */
  primary: string;
  /** The other language's text, when written and different. */
  secondary: string | null;
}

/** Catalog texts are written in both languages; shows the reader's first and the other second. */
export function localizedText(zh: string | null | undefined, en: string | null | undefined, language: string): LocalizedText {
  const chinese = (zh ?? '').trim();
  const english = (en ?? '').trim();
  const [mine, other] = isChinese(language) ? [chinese, english] : [english, chinese];
  const primary = mine || other;
  const secondary = mine && other && other !== mine ? other : null;
  return { primary, secondary };
}

export function isChinese(language: string): boolean {
  return language.toLowerCase().startsWith('zh');
}
