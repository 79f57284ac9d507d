import { GlobalOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, isLanguage, supportedLanguages, type Language } from './i18n';

const languageLabelKeys = {
  'zh-CN': 'language.zh-CN',
  en: 'language.en',
} as const satisfies Record<Language, string>;

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Select
      data-testid="language-switch"
      aria-label={t('language.label')}
      size="small"
      variant="borderless"
      suffixIcon={<GlobalOutlined />}
      value={i18n.language}
      onChange={(value: string) => {
        if (isLanguage(value)) void changeLanguage(value);
      }}
      options={supportedLanguages.map((language) => ({ value: language, label: t(languageLabelKeys[language]) }))}
      popupMatchSelectWidth={false}
    />
  );
}
