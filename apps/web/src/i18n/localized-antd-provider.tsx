import { App as AntdApp, ConfigProvider } from 'antd';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { antdLocales } from './antd-locale';
import { isLanguage } from './i18n';

/** antd follows the i18next language, so built-in texts (pagination, pickers, modals) switch too. */
export function LocalizedAntdProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const language = isLanguage(i18n.language) ? i18n.language : 'en';
  // antd's date pickers render month and weekday names through dayjs's global locale.
  dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
  return (
    // antd puts a space between two Chinese characters of a button (驳 回, 登 录) by default: buttons read as written.
    <ConfigProvider locale={antdLocales[language]} theme={{ token: { colorPrimary: '#0b5cad', borderRadius: 6 } }} button={{ autoInsertSpace: false }}>
      <AntdApp>{children}</AntdApp>
    </ConfigProvider>
  );
}
