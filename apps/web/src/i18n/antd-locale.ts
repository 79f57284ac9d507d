import type { Locale as AntdLocale } from 'antd/es/locale';
import enUSModule from 'antd/locale/en_US';
import zhCNModule from 'antd/locale/zh_CN';
import type { Language } from './i18n';

// antd ships its locales as CommonJS with an `exports.default`. Bundlers unwrap that
// default; Node's ESM loader (Jest) hands back the whole module object instead.
function unwrapDefault(module: AntdLocale): AntdLocale {
  const wrapped = module as AntdLocale & { default?: AntdLocale };
  return wrapped.default ?? module;
}

export const antdLocales: Record<Language, AntdLocale> = {
  'zh-CN': unwrapDefault(zhCNModule),
  en: unwrapDefault(enUSModule),
};
