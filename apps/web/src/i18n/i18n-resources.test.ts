import en from './en.json' with { type: 'json' };
import zhCN from './zh-CN.json' with { type: 'json' };
import { detectLanguage } from './i18n';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') entries.set(path, value);
    else flatten(value, path).forEach((text, nested) => entries.set(nested, text));
  }
  return entries;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]).sort();

describe('translation resources', () => {
  const english = flatten(en);
  const chinese = flatten(zhCN);

  it('has every English key in Chinese', () => {
    expect([...english.keys()].filter((key) => !chinese.has(key))).toEqual([]);
  });

  it('has every Chinese key in English', () => {
    expect([...chinese.keys()].filter((key) => !english.has(key))).toEqual([]);
  });

  it('uses the same interpolation variables in both languages', () => {
    const mismatched = [...english.entries()]
      .filter(([key, text]) => chinese.has(key) && placeholders(text).join() !== placeholders(chinese.get(key) ?? '').join())
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  it('has no empty texts', () => {
    const empty = [...english.entries(), ...chinese.entries()].filter(([, text]) => text.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });
});

describe('detectLanguage', () => {
  it('prefers the stored choice', () => {
    expect(detectLanguage('en', ['zh-CN'])).toBe('en');
  });

  it('ignores an unknown stored value and follows the browser', () => {
    expect(detectLanguage('fr', ['zh-TW', 'en'])).toBe('zh-CN');
    expect(detectLanguage(null, ['en-GB', 'zh-CN'])).toBe('en');
  });

  it('falls back to English for other browser languages', () => {
    expect(detectLanguage(null, ['de-DE'])).toBe('en');
  });
});

describe('translating keys that contain a colon', () => {
  it('reads API scope labels instead of treating "catalog:" as a namespace', async () => {
    const { changeLanguage, initI18n } = await import('./i18n');
    const i18n = initI18n('en');
    expect(i18n.t('apiKeys.scopeLabels.catalog:read')).toBe(en.apiKeys.scopeLabels['catalog:read']);
    await changeLanguage('zh-CN');
    expect(i18n.t('apiKeys.scopeLabels.usage:read')).toBe(zhCN.apiKeys.scopeLabels['usage:read']);
  });
});

describe('plural forms', () => {
  it('counts one dataset in the singular in English and keeps Chinese unchanged', async () => {
    const { initI18n, changeLanguage } = await import('./i18n');
    const i18n = initI18n('en');
    await changeLanguage('en');
    expect(i18n.t('catalog.total', { count: 1, formatted: '1' })).toBe('1 dataset');
    expect(i18n.t('catalog.total', { count: 11, formatted: '11' })).toBe('11 datasets');
    await changeLanguage('zh-CN');
    expect(i18n.t('catalog.total', { count: 1, formatted: '1' })).toBe('共 1 个数据集');
  });
});
