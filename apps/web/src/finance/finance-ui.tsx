import { Alert, DatePicker, Flex, Grid, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../commerce/money';
import { describeApiError } from '../components/api-error-feedback';
import { formatPercent } from '../components/number-format';
import { periodOf, shiftPeriod } from './finance-format';

/** Below the md breakpoint (phones): tables keep their key figures in view and fold the rest into the first column. */
export function useNarrow(): boolean {
  return !Grid.useBreakpoint().md;
}

/** A load failure in place of the content it would have shown. */
export function LoadFailed({ error, testId }: { error: unknown; testId?: string }) {
  const { t } = useTranslation();
  return <Alert type="error" showIcon title={t('common.loadFailed')} description={describeApiError(error, t)} data-testid={testId ?? 'finance-load-failed'} />;
}

/** An amount of minor units in the reader's language; empty for null. Negative amounts in red. */
export function Amount({ value, currency, strong, testId }: { value: number | null | undefined; currency: string; strong?: boolean; testId?: string }) {
  const { i18n } = useTranslation();
  if (value === null || value === undefined) return null;
  return (
    <Typography.Text strong={strong} type={value < 0 ? 'danger' : undefined} data-testid={testId} data-amount={value} data-currency={currency} style={{ whiteSpace: 'nowrap' }}>
      {formatMoney(value, currency, i18n.language)}
    </Typography.Text>
  );
}

/** A share of a total as a small percentage beneath an amount. */
export function ShareOf({ part, total }: { part: number; total: number }) {
  const { i18n } = useTranslation();
  if (total <= 0) return null;
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', whiteSpace: 'nowrap' }}>
      {formatPercent(part / total, i18n.language)}
    </Typography.Text>
  );
}

/** A figure for the top of a page: a money statistic that keeps its digits exact. */
export function MoneyStatistic({ title, value, currency, testId, color }: { title: ReactNode; value: number; currency: string; testId?: string; color?: string }) {
  const { i18n } = useTranslation();
  return (
    <Statistic
      title={title}
      value={value}
      formatter={() => formatMoney(value, currency, i18n.language)}
      styles={{ content: { fontSize: 20, ...(color ? { color } : {}) } }}
      style={{ flex: '1 1 150px', minWidth: 0 }}
      data-testid={testId}
      data-amount={value}
      data-currency={currency}
    />
  );
}

export interface PeriodRange {
  from: string;
  to: string;
}

/** The last twelve accounting periods, this one included. */
export function defaultPeriodRange(now: Date = new Date()): PeriodRange {
  const to = periodOf(now);
  return { from: shiftPeriod(to, -11), to };
}

/** A range of accounting periods (months) with the usual choices a click away. */
export function PeriodRangePicker({ value, onChange, testId = 'period-range' }: { value: PeriodRange; onChange(range: PeriodRange): void; testId?: string }) {
  const { t } = useTranslation();
  const current = periodOf();
  const month = (period: string) => dayjs(`${period}-01`);
  const year = current.slice(0, 4);
  const presets: Array<{ label: string; value: [dayjs.Dayjs, dayjs.Dayjs] }> = [
    { label: t('finance.range.thisMonth'), value: [month(current), month(current)] },
    { label: t('finance.range.lastMonth'), value: [month(shiftPeriod(current, -1)), month(shiftPeriod(current, -1))] },
    { label: t('finance.range.last3'), value: [month(shiftPeriod(current, -2)), month(current)] },
    { label: t('finance.range.last12'), value: [month(shiftPeriod(current, -11)), month(current)] },
    { label: t('finance.range.thisYear'), value: [month(`${year}-01`), month(current)] },
    { label: t('finance.range.lastYear'), value: [month(`${Number(year) - 1}-01`), month(`${Number(year) - 1}-12`)] },
  ];
  return (
    <Flex gap={8} align="center" wrap>
      <Typography.Text type="secondary">{t('finance.range.label')}</Typography.Text>
      <DatePicker.RangePicker
        picker="month"
        value={[month(value.from), month(value.to)]}
        allowClear={false}
        presets={presets}
        disabledDate={(date) => date.format('YYYY-MM') > current}
        onChange={(values) => {
          const [start, end] = values ?? [];
          if (start && end) onChange({ from: start.format('YYYY-MM'), to: end.format('YYYY-MM') });
        }}
        aria-label={t('finance.range.label')}
        data-testid={testId}
        style={{ width: 230 }}
      />
    </Flex>
  );
}
