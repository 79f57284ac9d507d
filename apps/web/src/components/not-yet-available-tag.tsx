import { ClockCircleOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/** Marks a capability that later releases bring: shown as a promise, never with made-up data. */
export function NotYetAvailableTag() {
  const { t } = useTranslation();
  return (
    <Tag icon={<ClockCircleOutlined />} color="default" data-testid="not-yet-available">
      {t('common.notYetAvailable')}
    </Tag>
  );
}
