import { useTranslation } from 'react-i18next';

/** An ISO timestamp in the reader's language (its day only with `dateOnly`); the raw value stays in the tooltip. */
export function DateTime({ value, empty, dateOnly = false }: { value: string | null | undefined; empty?: string; dateOnly?: boolean }) {
  const { t, i18n } = useTranslation();
  if (!value) return <span>{empty ?? t('common.never')}</span>;
  const date = new Date(value);
  const text = Number.isNaN(date.getTime())
    ? value
    : new Intl.DateTimeFormat(i18n.language, dateOnly ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  return (
    <time dateTime={value} title={value}>
      {text}
    </time>
  );
}
