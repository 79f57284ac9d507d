import { SafetyCertificateOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Card, Descriptions, Flex, Space, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import type { GatePlan, GateReport } from '../api/schema-types';
import { describeGatePlan, describeGateReport } from './gate-report';
import { GateOutcomeTag } from './product-tags';

/** A privacy gate report in words: outcome, rule, k, rows checked and suppressed, and every reason. */
export function GateReportView({ report, compact = false }: { report: GateReport; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const text = describeGateReport(report, t, i18n.language);
  return (
    <Flex vertical gap={12} data-testid="gate-report" data-outcome={report.outcome} data-rule={report.rule}>
      <Space wrap size={[8, 4]}>
        <SafetyCertificateOutlined />
        <Typography.Text strong>{t('products.gate.reportTitle')}</Typography.Text>
        <GateOutcomeTag outcome={report.outcome} />
        <Typography.Text data-testid="gate-summary">{text.summary}</Typography.Text>
      </Space>
      <div>
        <Typography.Text strong>{text.rule.name}</Typography.Text>
        <Typography.Text type="secondary">
          {t('ingest.factSeparator')}
          {text.rule.description}
        </Typography.Text>
      </div>
      {compact ? null : (
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, sm: 2, xxl: 3 }}
          data-testid="gate-facts"
          items={text.facts.map((fact) => ({ key: fact.key, label: fact.label, children: <span data-testid={`gate-fact-${fact.key}`}>{fact.value}</span> }))}
        />
      )}
      {text.reasons.length > 0 ? (
        <Card size="small" title={t('products.gate.reasonsTitle')} data-testid="gate-reasons" styles={{ body: { padding: '4px 12px' } }}>
          {text.reasons.map((reason, index) => (
            <Flex
              key={reason.code}
              vertical
              gap={2}
              data-testid="gate-reason"
              data-code={reason.code}
              style={{ padding: '8px 0', borderTop: index === 0 ? undefined : `1px solid ${token.colorBorderSecondary}` }}
            >
              <Space size={6}>
                <WarningOutlined style={{ color: report.outcome === 'failed' ? '#ff4d4f' : '#faad14' }} />
                <Typography.Text strong>{reason.title}</Typography.Text>
              </Space>
              <Typography.Text>{reason.detail}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {reason.description}
              </Typography.Text>
            </Flex>
          ))}
        </Card>
      ) : null}
    </Flex>
  );
}

/** What the privacy gate will check on the output of a run, from a dry run. */
export function GatePlanView({ plan }: { plan: GatePlan }) {
  const { t, i18n } = useTranslation();
  const text = describeGatePlan(plan, t, i18n.language);
  return (
    <Flex vertical gap={12} data-testid="gate-plan" data-rule={plan.rule}>
      {text.warnings.map((warning) => (
        <Alert key={warning} type="error" showIcon title={warning} data-testid="gate-plan-warning" />
      ))}
      <div>
        <Typography.Text strong>{text.rule.name}</Typography.Text>
        <Typography.Text type="secondary">
          {t('ingest.factSeparator')}
          {text.rule.description}
        </Typography.Text>
      </div>
      <Typography.Text>{text.explanation}</Typography.Text>
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 2, xxl: 3 }}
        items={text.facts.map((fact) => ({ key: fact.key, label: fact.label, children: <span data-testid={`gate-plan-${fact.key}`}>{fact.value}</span> }))}
      />
    </Flex>
  );
}
