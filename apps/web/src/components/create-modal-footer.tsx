import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * Footer of a modal that creates something and then shows a one-time secret: Cancel and
 * Submit while filling in, a single Done once created.
 */
export function CreateModalFooter({
  created,
  pending,
  submitLabel,
  testIdPrefix,
  onSubmit,
  onClose,
}: {
  created: boolean;
  pending: boolean;
  submitLabel: string;
  testIdPrefix: string;
  onSubmit: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  if (created) {
    return (
      <Button type="primary" onClick={onClose} data-testid={`${testIdPrefix}-done`}>
        {t('common.done')}
      </Button>
    );
  }
  return (
    <>
      <Button onClick={onClose}>{t('common.cancel')}</Button>
      <Button type="primary" loading={pending} onClick={onSubmit} data-testid={`${testIdPrefix}-submit`}>
        {submitLabel}
      </Button>
    </>
  );
}
