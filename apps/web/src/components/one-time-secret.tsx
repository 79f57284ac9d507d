import { Alert, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export interface OneTimeSecretItem {
  label: string;
  value: string;
  testId: string;
}

/** A secret the server returns once (API key, invitation token): copy it now or lose it. */
export function OneTimeSecret({ items, kind = 'key' }: { items: OneTimeSecretItem[]; kind?: 'key' | 'invitation' }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={12}>
      <Alert type="warning" showIcon title={t('secret.shownOnceTitle')} description={t(kind === 'invitation' ? 'secret.invitationShownOnceDescription' : 'secret.shownOnceDescription')} />
      {items.map((item) => (
        <div key={item.testId}>
          <Typography.Text strong>{item.label}</Typography.Text>
          <Typography.Paragraph
            code
            copyable={{ text: item.value, tooltips: [t('secret.copy'), t('secret.copied')] }}
            data-testid={item.testId}
            style={{ wordBreak: 'break-all', marginBottom: 0 }}
          >
            {item.value}
          </Typography.Paragraph>
        </div>
      ))}
    </Flex>
  );
}
