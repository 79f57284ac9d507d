import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Flex, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShowApiError } from '../components/api-error-feedback';
import { downloadSettlementStatement, type StatementFormat } from './finance-api';
import type { Settlement, SettlementKind, SettlementStatus } from './finance-types';

const kindColors: Readonly<Record<SettlementKind, string>> = { payout: 'gold', remittance: 'green' };
const statusColors: Readonly<Record<SettlementStatus, string>> = { pending: 'processing', paid: 'success', failed: 'error' };

/** A payout to a vendor or a remittance of an agency's royalties (government non-tax revenue). */
export function SettlementKindTag({ kind }: { kind: SettlementKind }) {
  const { t } = useTranslation();
  return (
    <Tag color={kindColors[kind]} style={{ marginInlineEnd: 0 }} data-testid="settlement-kind" data-value={kind}>
      {t(`finance.settlements.kinds.${kind}`)}
    </Tag>
  );
}

export function SettlementStatusTag({ settlement }: { settlement: Pick<Settlement, 'status' | 'failureReason'> }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={2} align="flex-start">
      <Tag color={statusColors[settlement.status]} style={{ marginInlineEnd: 0 }} data-testid="settlement-status" data-value={settlement.status}>
        {t(`finance.settlements.statuses.${settlement.status}`)}
      </Tag>
      {settlement.status === 'failed' && settlement.failureReason ? (
        <Typography.Text type="danger" style={{ fontSize: 12, maxWidth: 220 }} data-testid="settlement-failure">
          {settlement.failureReason}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}

/** PDF and CSV buttons for one settlement's statement. */
export function StatementDownloads({ settlement, own = false }: { settlement: Pick<Settlement, 'id'>; own?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const [busy, setBusy] = useState<StatementFormat | null>(null);
  const download = async (format: StatementFormat) => {
    setBusy(format);
    try {
      const filename = await downloadSettlementStatement(settlement.id, format, own);
      void message.success(t('finance.settlements.saved', { filename }));
    } catch (error) {
      showError(error);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space.Compact size="small">
      {(['pdf', 'csv'] as const).map((format) => (
        <Button
          key={format}
          size="small"
          icon={<DownloadOutlined />}
          loading={busy === format}
          onClick={() => void download(format)}
          aria-label={t('finance.settlements.download', { format: format.toUpperCase() })}
          data-testid={`settlement-statement-${format}`}
        >
          {format.toUpperCase()}
        </Button>
      ))}
    </Space.Compact>
  );
}
