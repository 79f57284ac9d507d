import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { TamperReason } from '../api/schema-types';
import { describeApiError } from '../components/api-error-feedback';
import { DateTime } from '../components/date-time';

const tamperReasonKeys = {
  hash_mismatch: 'audit.tamperReasons.hash_mismatch',
  broken_link: 'audit.tamperReasons.broken_link',
  sequence_gap: 'audit.tamperReasons.sequence_gap',
} as const satisfies Record<TamperReason, string>;

/** Asks the server to walk the whole hash chain and shows what it found. */
export function AuditVerifyButton() {
  const { t } = useTranslation();
  const verify = useMutation({ mutationFn: () => unwrap(api.GET('/api/v1/audit-events/verify')) });
  const result = verify.data;

  return (
    <Flex vertical gap={12} style={{ marginBottom: 16 }}>
      <div>
        <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="audit-verify">
          {t('audit.verify')}
        </Button>
      </div>
      {verify.isError ? <Alert type="error" showIcon title={describeApiError(verify.error, t)} data-testid="audit-verify-result" /> : null}
      {result ? (
        <Alert
          data-testid="audit-verify-result"
          type={result.ok ? 'success' : 'error'}
          showIcon
          title={result.ok ? t('audit.verifyOk', { count: result.checked, head: result.headSeq }) : t('audit.verifyFailed', { count: result.checked, head: result.headSeq })}
          description={
            <>
              {result.firstTampered ? (
                <div data-testid="audit-first-tampered">{t('audit.firstTampered', { seq: result.firstTampered.seq, reason: t(tamperReasonKeys[result.firstTampered.reason]) })}</div>
              ) : null}
              <div>
                {t('audit.verifiedAt')} <DateTime value={result.verifiedAt} />
              </div>
            </>
          }
        />
      ) : null}
    </Flex>
  );
}
