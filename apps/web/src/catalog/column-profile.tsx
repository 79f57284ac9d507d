import { Card, Empty, Flex, Grid, Progress, Select, Table, Typography, theme, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ColumnProfile } from '../api/schema-types';
import { useCountAxis } from '../components/chart-axis';
import { formatCount, formatPercent } from '../components/number-format';

const BAR_HEIGHT = 28;
const LABEL_CHARACTERS = 18;

/**
 * The column whose frequent values say most at first sight: a categorical text column (a few
 * distinct values, some more frequent than others), else any categorical one, else the first
 * with varied frequent values, else the first with any.
 */
export function defaultProfileColumn(profile: readonly ColumnProfile[]): string | undefined {
  const withValues = profile.filter((column) => column.topValues.length > 0);
  const varied = (column: ColumnProfile) => {
    const counts = column.topValues.map((entry) => entry.count);
    return Math.max(...counts) > Math.min(...counts);
  };
  const categorical = (column: ColumnProfile) => column.approxDistinct >= 2 && column.approxDistinct <= 50 && varied(column);
  const text = (column: ColumnProfile) => /CHAR|TEXT|STRING/i.test(column.type);
  const pick =
    withValues.find((column) => categorical(column) && text(column)) ??
    withValues.find(categorical) ??
    withValues.find(varied) ??
    withValues[0];
  return pick?.name;
}

/** The profile of the current version: per-column statistics and the most frequent values as a chart. */
export function ColumnProfileSection({ profile, rowCount }: { profile: readonly ColumnProfile[]; rowCount: number | null }) {
  const { t } = useTranslation();
  const withValues = profile.filter((column) => column.topValues.length > 0);
  const [selected, setSelected] = useState<string | undefined>(() => defaultProfileColumn(profile));
  const current = profile.find((column) => column.name === selected) ?? withValues[0];

  if (profile.length === 0) return <Empty description={t('profile.empty')} data-testid="profile-empty" />;

  return (
    <Flex vertical gap={16} data-testid="column-profile">
      <Card size="small" title={t('profile.topValuesTitle')}>
        {current ? (
          <>
            <Flex align="center" gap={8} wrap style={{ marginBottom: 12 }}>
              <Typography.Text type="secondary">{t('profile.column')}</Typography.Text>
              <Select
                value={current.name}
                onChange={setSelected}
                showSearch
                style={{ minWidth: 200, maxWidth: '100%' }}
                popupMatchSelectWidth={false}
                aria-label={t('profile.column')}
                data-testid="profile-column-select"
                options={withValues.map((column) => ({ value: column.name, label: column.name }))}
              />
            </Flex>
            <TopValuesChart column={current} rowCount={rowCount} />
          </>
        ) : (
          <Typography.Text type="secondary">{t('profile.noTopValues')}</Typography.Text>
        )}
      </Card>
      <Card size="small" title={t('profile.statsTitle')}>
        <ProfileTable profile={profile} onSelect={(name) => setSelected(name)} selectable={new Set(withValues.map((column) => column.name))} />
      </Card>
    </Flex>
  );
}

function ProfileTable({ profile, onSelect, selectable }: { profile: readonly ColumnProfile[]; onSelect(name: string): void; selectable: Set<string> }) {
  const { t, i18n } = useTranslation();
  const columns: TableColumnsType<ColumnProfile> = [
    {
      key: 'name',
      title: t('profile.column'),
      render: (_, column) =>
        selectable.has(column.name) ? (
          <Typography.Link onClick={() => onSelect(column.name)}>{column.name}</Typography.Link>
        ) : (
          <Typography.Text>{column.name}</Typography.Text>
        ),
    },
    { key: 'type', title: t('profile.type'), render: (_, column) => <Typography.Text code>{column.type}</Typography.Text> },
    {
      key: 'nullShare',
      title: t('profile.nullShare'),
      render: (_, column) => (
        <Flex align="center" gap={8} style={{ minWidth: 140 }}>
          <Progress percent={column.nullShare * 100} showInfo={false} size="small" status="normal" style={{ width: 80, margin: 0 }} />
          <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatPercent(column.nullShare, i18n.language)}</span>
        </Flex>
      ),
    },
    {
      key: 'distinct',
      title: t('profile.distinct'),
      align: 'right',
      render: (_, column) => t('profile.approximately', { value: formatCount(column.approxDistinct, i18n.language) }),
    },
    { key: 'min', title: t('profile.min'), render: (_, column) => <ProfileValue value={column.min} /> },
    { key: 'max', title: t('profile.max'), render: (_, column) => <ProfileValue value={column.max} /> },
  ];
  return (
    <Table<ColumnProfile>
      data-testid="profile-table"
      size="small"
      rowKey="name"
      columns={columns}
      dataSource={[...profile]}
      pagination={false}
      scroll={{ x: 'max-content' }}
    />
  );
}

function ProfileValue({ value }: { value: string | null }) {
  const { t } = useTranslation();
  if (value === null) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  return (
    <Typography.Text ellipsis={{ tooltip: value }} style={{ maxWidth: 180 }}>
      {value}
    </Typography.Text>
  );
}

/** Horizontal bars: the most frequent values of one column and how often each occurs. */
function TopValuesChart({ column, rowCount }: { column: ColumnProfile; rowCount: number | null }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const narrow = !Grid.useBreakpoint().md;
  const data = column.topValues.map((entry) => ({
    label: entry.value === null ? t('profile.emptyValue') : entry.value,
    count: entry.count,
  }));
  const count = (value: unknown) => formatCount(Number(value), i18n.language);
  const countAxis = useCountAxis('x', i18n.language);
  const share = (value: unknown) => (rowCount ? ` (${formatPercent(Number(value) / rowCount, i18n.language)})` : '');

  return (
    <div data-testid="top-values-chart" data-column={column.name} role="img" aria-label={t('profile.chartLabel', { column: column.name })}>
      <ResponsiveContainer width="100%" height={data.length * BAR_HEIGHT + 40} initialDimension={{ width: 600, height: data.length * BAR_HEIGHT + 40 }}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 56, bottom: 4, left: 4 }}>
          <CartesianGrid horizontal={false} stroke={token.colorBorderSecondary} />
          <XAxis type="number" allowDecimals={false} tickFormatter={countAxis.format} tick={{ fontSize: 12, fill: token.colorTextSecondary }} />
          {countAxis.probe}
          <YAxis
            type="category"
            dataKey="label"
            width={narrow ? 96 : 160}
            interval={0}
            tick={{ fontSize: 12, fill: token.colorText }}
            tickFormatter={(value: string) => (value.length > LABEL_CHARACTERS ? `${value.slice(0, LABEL_CHARACTERS - 1)}…` : value)}
          />
          <Tooltip
            formatter={(value) => [`${count(value)}${share(value)}`, t('profile.occurrences')]}
            cursor={{ fill: token.colorFillTertiary }}
          />
          <Bar dataKey="count" fill={token.colorPrimary} radius={[0, 4, 4, 0]} isAnimationActive={false}>
            <LabelList dataKey="count" position="right" formatter={count} style={{ fontSize: 12, fill: token.colorTextSecondary }} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
