import { CheckCircleOutlined, CloseOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Empty, Flex, Select, Table, Tabs, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { DateTime } from '../components/date-time';
import { PageHeader } from '../components/page-header';
import { AccountLabel } from './account-label';
import { fetchAccounts, fetchJournal, financeKeys } from './finance-api';
import { accountNormalSide, debitCredit, entryAmounts, entryKindColors, formatPeriod, isBalanced, isKnownDimension, isPeriod, knownDimensions, periodOf, shortId, sortAccounts, sumByCurrency } from './finance-format';
import type { AccountBalance, JournalEntry, JournalEntryKind, JournalQuery, Posting } from './finance-types';
import { EntryDescription, entryKindLabel, invoiceNumberIn } from './journal-description';
import { Amount, LoadFailed, useNarrow } from './finance-ui';

type LedgerTab = 'accounts' | 'journal';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The double-entry ledger: every account's balance (a trial balance) and the journal of entries behind it. */
export function LedgerPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab: LedgerTab = params.get('tab') === 'journal' || params.has('account') || params.has('invoiceId') || params.has('period') ? 'journal' : 'accounts';
  const change = (next: Record<string, string | null>) => {
    const merged = new URLSearchParams(params);
    for (const [key, value] of Object.entries(next)) {
      if (value === null) merged.delete(key);
      else merged.set(key, value);
    }
    setParams(merged);
  };
  return (
    <>
      <PageHeader title={t('finance.ledger.title')} description={t('finance.ledger.description')} />
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'journal' ? { tab: 'journal' } : {})}
        items={[
          { key: 'accounts', label: <span data-testid="ledger-tab-accounts">{t('finance.ledger.accountsTab')}</span>, children: tab === 'accounts' ? <AccountsView through={params.get('through')} change={change} /> : null },
          { key: 'journal', label: <span data-testid="ledger-tab-journal">{t('finance.ledger.journalTab')}</span>, children: tab === 'journal' ? <JournalView params={params} change={change} /> : null },
        ]}
      />
    </>
  );
}

type Change = (next: Record<string, string | null>) => void;

function useAccounts(through?: string) {
  return useQuery({ queryKey: financeKeys.accounts(through), queryFn: () => fetchAccounts(through), placeholderData: (previous) => previous });
}

function AccountsView({ through: rawThrough, change }: { through: string | null; change: Change }) {
  const { t, i18n } = useTranslation();
  const through = isPeriod(rawThrough) ? rawThrough : undefined;
  const accounts = useAccounts(through);
  // On phones the organization and the normal side fold into the account: the totals' label spans what is shown.
  const wide = !useNarrow();
  const items = sortAccounts(accounts.data?.items ?? []);
  const totals = sumByCurrency(items, (item) => item.currency, (item) => item.balance);
  const debits = sumByCurrency(items.filter((item) => item.balance > 0), (item) => item.currency, (item) => item.balance);
  const credits = sumByCurrency(items.filter((item) => item.balance < 0), (item) => item.currency, (item) => -item.balance);

  const columns: TableColumnsType<AccountBalance> = [
    {
      key: 'account',
      title: t('finance.accounts.account'),
      fixed: 'left',
      render: (_, item) => (
        <Typography.Link onClick={() => change({ tab: 'journal', account: item.account, period: null, invoiceId: null })} data-testid="account-open" data-account={item.account}>
          <AccountLabel account={item.account} organizationName={wide ? null : item.organizationName} maxWidth={wide ? 280 : 160} />
        </Typography.Link>
      ),
    },
    { key: 'organization', title: t('finance.accounts.organization'), responsive: ['md'], render: (_, item) => <span style={{ display: 'inline-block', minWidth: 120, maxWidth: 240 }}>{item.organizationName ?? t('common.none')}</span> },
    { key: 'normal', title: t('finance.accounts.normalSide'), responsive: ['md'], render: (_, item) => <Tag style={{ marginInlineEnd: 0 }}>{t(`finance.accounts.sides.${accountNormalSide[item.kind]}`)}</Tag> },
    { key: 'debit', title: t('finance.accounts.debit'), align: 'right', render: (_, item) => <Amount value={debitCredit(item.balance).debit} currency={item.currency} testId="account-debit" /> },
    { key: 'credit', title: t('finance.accounts.credit'), align: 'right', render: (_, item) => <Amount value={debitCredit(item.balance).credit} currency={item.currency} testId="account-credit" /> },
  ];

  return (
    <Flex vertical gap={12}>
      <Flex gap={8} align="center" wrap>
        <Typography.Text type="secondary">{t('finance.accounts.through')}</Typography.Text>
        <DatePicker
          picker="month"
          value={through ? dayjs(`${through}-01`) : null}
          onChange={(value) => change({ through: value ? value.format('YYYY-MM') : null })}
          disabledDate={(date) => date.format('YYYY-MM') > periodOf()}
          placeholder={t('finance.accounts.throughNow')}
          data-testid="accounts-through"
          style={{ width: 160 }}
        />
        {totals.length > 0 ? (
          <Flex gap={8} wrap data-testid="trial-balance" data-balanced={String(totals.every((total) => total.amount === 0))}>
            {totals.map((total) =>
              total.amount === 0 ? (
                <Tag key={total.currency} color="green" icon={<CheckCircleOutlined />} style={{ marginInlineEnd: 0 }}>
                  {t('finance.accounts.balanced', { currency: total.currency })}
                </Tag>
              ) : (
                <Tag key={total.currency} color="red" icon={<ExclamationCircleOutlined />} style={{ marginInlineEnd: 0 }}>
                  {t('finance.accounts.unbalanced', { currency: total.currency })}
                </Tag>
              ),
            )}
          </Flex>
        ) : null}
      </Flex>
      {accounts.isError ? (
        <LoadFailed error={accounts.error} />
      ) : (
        <Table<AccountBalance>
          data-testid="accounts-table"
          size="small"
          rowKey={(item) => `${item.account}|${item.currency}`}
          loading={accounts.isPending}
          columns={columns}
          dataSource={items}
          pagination={items.length > 100 ? { pageSize: 100, showSizeChanger: false } : false}
          scroll={{ x: 'max-content' }}
          onRow={(item) => ({ 'data-testid': 'account-row', 'data-account': item.account, 'data-kind': item.kind, 'data-balance': item.balance }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('finance.accounts.empty')} /> }}
          summary={() =>
            debits.length + credits.length === 0 ? null : (
              <Table.Summary>
                {[...new Set([...debits, ...credits].map((total) => total.currency))].map((currency) => (
                  <Table.Summary.Row key={currency} data-testid="accounts-summary">
                    <Table.Summary.Cell index={0} colSpan={wide ? 3 : 1}>
                      <Typography.Text strong>{t('finance.accounts.totals', { currency })}</Typography.Text>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={wide ? 3 : 1} align="right">
                      <Amount value={debits.find((total) => total.currency === currency)?.amount ?? 0} currency={currency} strong />
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={wide ? 4 : 2} align="right">
                      <Amount value={credits.find((total) => total.currency === currency)?.amount ?? 0} currency={currency} strong />
                    </Table.Summary.Cell>
                  </Table.Summary.Row>
                ))}
              </Table.Summary>
            )
          }
        />
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {through ? t('finance.accounts.noteThrough', { period: formatPeriod(through, i18n.language, 'long') }) : t('finance.accounts.note')}
      </Typography.Text>
    </Flex>
  );
}

function JournalView({ params, change }: { params: URLSearchParams; change: Change }) {
  const { t } = useTranslation();
  const period = params.get('period');
  const account = params.get('account');
  const invoiceId = params.get('invoiceId');
  const filters: Omit<JournalQuery, 'before'> = {
    ...(isPeriod(period) ? { period } : {}),
    ...(account ? { account } : {}),
    ...(invoiceId && UUID.test(invoiceId) ? { invoiceId } : {}),
  };
  const accounts = useAccounts();
  const names = new Map((accounts.data?.items ?? []).map((item) => [item.account, item.organizationName]));
  const journal = useInfiniteQuery({
    queryKey: financeKeys.journal(filters),
    queryFn: ({ pageParam }) => fetchJournal({ ...filters, ...(pageParam ? { before: pageParam } : {}) }),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.nextBefore,
  });
  const entries = journal.data?.pages.flatMap((page) => page.items) ?? [];
  const accountOptions = [...new Map((accounts.data?.items ?? []).map((item) => [item.account, item])).values()].map((item) => ({
    value: item.account,
    label: <AccountLabel account={item.account} organizationName={item.organizationName} />,
    search: `${item.account} ${item.organizationName ?? ''} ${t(`finance.accounts.kinds.${item.kind}`)}`,
  }));

  const narrow = useNarrow();
  const kindTag = (entry: JournalEntry) => (
    <Tag color={entryKindColors[entry.kind as JournalEntryKind] ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="journal-kind" data-value={entry.kind}>
      {entryKindLabel(entry.kind, t)}
    </Tag>
  );
  const amount = {
    key: 'amount',
    title: t('finance.journal.amount'),
    align: 'right' as const,
    render: (_: unknown, entry: JournalEntry) => (
      <Flex vertical align="flex-end">
        {entryAmounts(entry.postings).map((total) => (
          <Amount key={total.currency} value={total.amount} currency={total.currency} strong />
        ))}
        {isBalanced(entry.postings) ? null : (
          <Tag color="red" style={{ marginInlineEnd: 0 }}>
            {t('finance.journal.unbalanced')}
          </Tag>
        )}
      </Flex>
    ),
  };
  // Phones: one column tells the entry (type, description, date), the other its amount.
  const columns: TableColumnsType<JournalEntry> = narrow
    ? [
        {
          key: 'entry',
          title: t('finance.journal.entry'),
          render: (_, entry) => (
            <Flex vertical gap={2} align="flex-start" style={{ maxWidth: 170 }}>
              {kindTag(entry)}
              <span style={{ fontSize: 12 }}>
                <EntryDescription entry={entry} />
              </span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                #{entry.id} · <DateTime value={entry.occurredAt} />
              </Typography.Text>
            </Flex>
          ),
        },
        amount,
      ]
    : [
        { key: 'id', title: t('finance.journal.entry'), render: (_, entry) => <Typography.Text type="secondary">#{entry.id}</Typography.Text> },
        { key: 'occurredAt', title: t('finance.journal.occurredAt'), render: (_, entry) => <span style={{ whiteSpace: 'nowrap' }}><DateTime value={entry.occurredAt} /></span> },
        { key: 'kind', title: t('finance.journal.kind'), render: (_, entry) => kindTag(entry) },
        {
          key: 'memo',
          title: t('finance.journal.memo'),
          render: (_, entry) => (
            <span style={{ display: 'inline-block', minWidth: 200, maxWidth: 400 }}>
              <EntryDescription entry={entry} />
            </span>
          ),
        },
        amount,
        { key: 'period', title: t('finance.journal.period'), render: (_, entry) => <span style={{ whiteSpace: 'nowrap' }}>{entry.period}</span> },
      ];

  return (
    <Flex vertical gap={12}>
      <Flex gap={12} wrap align="center">
        <DatePicker
          picker="month"
          value={isPeriod(period) ? dayjs(`${period}-01`) : null}
          onChange={(value) => change({ tab: 'journal', period: value ? value.format('YYYY-MM') : null })}
          placeholder={t('finance.journal.anyPeriod')}
          data-testid="journal-period"
          style={{ width: 160 }}
        />
        <Select<string>
          allowClear
          showSearch={{ optionFilterProp: 'search' }}
          placeholder={t('finance.journal.anyAccount')}
          value={account ?? undefined}
          onChange={(value) => change({ tab: 'journal', account: value ?? null })}
          options={accountOptions}
          style={{ minWidth: 220, maxWidth: '100%' }}
          popupMatchSelectWidth={false}
          data-testid="journal-account"
          aria-label={t('finance.journal.anyAccount')}
        />
        {filters.invoiceId ? (
          <Tag closable onClose={() => change({ invoiceId: null })} color="blue" data-testid="journal-invoice-filter" closeIcon={<CloseOutlined />}>
            {t('finance.journal.invoiceFilter', { id: shortId(filters.invoiceId) })}
          </Tag>
        ) : null}
        {Object.keys(filters).length > 0 ? (
          <Button size="small" type="link" onClick={() => change({ period: null, account: null, invoiceId: null, tab: 'journal' })} data-testid="journal-clear">
            {t('finance.journal.clearFilters')}
          </Button>
        ) : null}
      </Flex>
      {journal.isError ? (
        <LoadFailed error={journal.error} />
      ) : (
        <Table<JournalEntry>
          data-testid="journal-table"
          size="small"
          rowKey="id"
          loading={journal.isPending}
          columns={columns}
          dataSource={entries}
          pagination={false}
          scroll={{ x: 'max-content' }}
          expandable={{ expandedRowRender: (entry) => <Postings entry={entry} names={names} change={change} />, rowExpandable: (entry) => entry.postings.length > 0 }}
          onRow={(entry) => ({ 'data-testid': 'journal-row', 'data-entry-id': entry.id, 'data-kind': entry.kind }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('finance.journal.empty')} /> }}
        />
      )}
      <Flex justify="center" align="center" gap={12} wrap>
        <Typography.Text type="secondary" data-testid="journal-count" data-value={entries.length}>
          {t('finance.journal.shown', { count: entries.length })}
        </Typography.Text>
        {journal.hasNextPage ? (
          <Button onClick={() => void journal.fetchNextPage()} loading={journal.isFetchingNextPage} data-testid="journal-more">
            {t('finance.journal.loadMore')}
          </Button>
        ) : null}
      </Flex>
    </Flex>
  );
}

/** An entry's stored memo, then its postings: debits and credits side by side, and what each is about (links where the console has a page). */
function Postings({ entry, names, change }: { entry: JournalEntry; names: Map<string, string | null>; change: Change }) {
  const { t } = useTranslation();
  const { postings } = entry;
  const positions = new Map(postings.map((posting, position) => [posting, position]));
  const invoiceNumber = invoiceNumberIn(entry.memo);
  const narrow = useNarrow();
  const account = (posting: Posting) => (
    <Typography.Link onClick={() => change({ tab: 'journal', account: posting.account, invoiceId: null })}>
      <AccountLabel account={posting.account} organizationName={names.get(posting.account)} maxWidth={narrow ? 150 : 280} />
    </Typography.Link>
  );
  const dimensions = (posting: Posting) => <Dimensions dimensions={posting.dimensions} invoiceNumber={invoiceNumber} change={change} />;
  // Phones: the account with what it is about beneath; one amount column marked debit or credit.
  const columns: TableColumnsType<Posting> = narrow
    ? [
        {
          key: 'account',
          title: t('finance.accounts.account'),
          render: (_, posting) => (
            <Flex vertical gap={4} style={{ maxWidth: 170 }}>
              {account(posting)}
              {dimensions(posting)}
            </Flex>
          ),
        },
        {
          key: 'amount',
          title: t('finance.journal.amount'),
          align: 'right',
          render: (_, posting) => {
            const { debit, credit } = debitCredit(posting.amount);
            return (
              <Flex vertical align="flex-end">
                <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                  {debit !== null ? t('finance.accounts.debit') : t('finance.accounts.credit')}
                </Typography.Text>
                <Amount value={debit ?? credit} currency={posting.currency} testId={debit !== null ? 'posting-debit' : 'posting-credit'} />
              </Flex>
            );
          },
        },
      ]
    : [
        { key: 'account', title: t('finance.accounts.account'), render: (_, posting) => account(posting) },
        { key: 'debit', title: t('finance.accounts.debit'), align: 'right', render: (_, posting) => <Amount value={debitCredit(posting.amount).debit} currency={posting.currency} testId="posting-debit" /> },
        { key: 'credit', title: t('finance.accounts.credit'), align: 'right', render: (_, posting) => <Amount value={debitCredit(posting.amount).credit} currency={posting.currency} testId="posting-credit" /> },
        { key: 'dimensions', title: t('finance.journal.dimensions'), render: (_, posting) => dimensions(posting) },
      ];
  return (
    <Flex vertical gap={8}>
      {/* A definite width: in a table sized to its content, a long memo would otherwise widen the table past a phone's screen. */}
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', maxWidth: narrow ? 300 : 720, overflowWrap: 'anywhere' }} data-testid="journal-memo">
        {t('finance.journal.storedMemo', { memo: entry.memo })}
      </Typography.Text>
      <Table<Posting>
        data-testid="journal-postings"
        size="small"
        rowKey={(posting) => `${posting.account}|${posting.currency}|${positions.get(posting)}`}
        columns={columns}
        dataSource={postings}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={() => ({ 'data-testid': 'posting-row' }) as HTMLAttributes<HTMLElement>}
      />
    </Flex>
  );
}

function Dimensions({ dimensions, invoiceNumber, change }: { dimensions: Record<string, string>; invoiceNumber: string | null; change: Change }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const narrow = useNarrow();
  const rank = (key: string) => (isKnownDimension(key) ? knownDimensions.indexOf(key) : knownDimensions.length);
  const entries = Object.entries(dimensions ?? {}).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  if (entries.length === 0) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const linkStyle = { fontSize: 'inherit' } as const;
  return (
    <Flex gap={4} wrap style={{ minWidth: narrow ? 0 : 200, maxWidth: 420 }}>
      {entries.map(([key, value]) => {
        const name = isKnownDimension(key) ? t(`finance.journal.dimensionNames.${key}`) : key;
        const text = `${name} ${key === 'invoice' && invoiceNumber ? invoiceNumber : shortId(value)}`;
        let content;
        if (key === 'invoice') {
          content = (
            <Typography.Link style={linkStyle} onClick={() => change({ tab: 'journal', invoiceId: value, account: null, period: null })} data-testid="dimension-invoice" data-invoice-id={value}>
              {text}
            </Typography.Link>
          );
        } else if (key === 'product' || key === 'dataset') {
          content = (
            <Typography.Link style={linkStyle} onClick={() => navigate(`/console/finance/revenue?groupBy=period&filterBy=${key}&filterId=${encodeURIComponent(value)}`)} data-testid={`dimension-${key}`}>
              {text}
            </Typography.Link>
          );
        } else content = text;
        return (
          <Tooltip key={key} title={value}>
            <Tag style={{ marginInlineEnd: 0 }}>{content}</Tag>
          </Tooltip>
        );
      })}
    </Flex>
  );
}
