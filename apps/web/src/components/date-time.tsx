import { useTranslation } from 'react-i18next';

/** An ISO timestamp in the reader's language; the raw value stays in the tooltip. */
export function DateTime({ value, empty }: { value: string | null | undefined; empty?: string }) {
  const { t, i18n } = useTranslation();
  if (!value) return <span>{empty ?? t('common.never')}</span>;
  const date = new Date(value);
  const text = Number.isNaN(date.getTime())
    ? value
    : new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  return (
    <time dateTime={value} title={value}>
      {text}
    </time>
  );
}
