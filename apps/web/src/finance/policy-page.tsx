import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Form, Input, InputNumber, Row, Select, Skeleton, Table, Typography, type FormInstance, type TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { bilingual } from '../commerce/commerce-display';
import { DateTime } from '../components/date-time';
import { formatDate } from '../components/number-format';
import { PageHeader } from '../components/page-header';
import { fetchPolicy, financeKeys } from './finance-api';
import { describeFinanceError } from './finance-errors';
import { basisPointsToPercent, formatBasisPoints, percentToBasisPoints } from './finance-format';
import type { FinancePolicyView, RoyaltyRate } from './finance-types';
import { LoadFailed } from './finance-ui';

interface PolicyValues {
  platformFeeBp?: number | null;
  defaultRoyaltyBp?: number | null;
  vatRateBp?: number | null;
  note?: string;
  payee?: string;
  bank?: string;
  accountNumber?: string;
}

/** Digits and letters in groups, single spaces or hyphens between them (as the API checks). */
const ACCOUNT_NUMBER = /^[0-9A-Za-z]+(?:[ -][0-9A-Za-z]+)*$/;

interface RoyaltyValues {
  agency?: string;
  datasetId?: string | null;
  royaltyBp?: number | null;
}

const percentRules = (t: TFunction, required = true) => [
  ...(required ? [{ required: true, message: t('validation.required') }] : []),
  {
    validator: (_: unknown, value: unknown) =>
      value === null || value === undefined || value === '' || percentToBasisPoints(value as number) !== null ? Promise.resolve() : Promise.reject(new Error(t('finance.policy.percentRange'))),
  },
];

/** The collection account's three fields go together: all filled, or (never set) all empty. */
const accountRules = (t: TFunction) => [
  ({ getFieldValue }: { getFieldValue(name: string): unknown }) => ({
    validator: (_: unknown, value: unknown) => {
      const filled = ['payee', 'bank', 'accountNumber'].some((name) => String(getFieldValue(name) ?? '').trim() !== '');
      return filled && String(value ?? '').trim() === '' ? Promise.reject(new Error(t('finance.policy.accountWhole'))) : Promise.resolve();
    },
  }),
];

/**
 * Field messages from a refused change beside their fields (`aliases` maps the API's field
 * names to the form's); a split over 100 % in the reader's words, with the most allowed.
 */
function showFieldErrors(form: FormInstance, error: unknown, t: TFunction, language: string, aliases: Record<string, string> = {}): boolean {
  if (!(error instanceof ApiError)) return false;
  const fields = new Set(form.getFieldsError().map((field) => field.name.join('.')));
  const issues = error.validationIssues.map((issue) => ({ ...issue, field: aliases[issue.field] ?? issue.field })).filter((issue) => fields.has(issue.field));
  form.setFields(
    issues.map((issue) => {
      if (error.code !== 'billing.invalid_split') return { name: issue.field, errors: issue.messages };
      const most = /at most (\d+)/.exec(issue.messages.join(' '))?.[1];
      return { name: issue.field, errors: [most ? t('finance.policy.splitAtMost', { max: formatBasisPoints(Number(most), language) }) : t('finance.errors.invalidSplit')] };
    }),
  );
  return issues.length > 0;
}

/** The revenue-sharing policy and royalty rates: read by supervision and operators, changed by finance analysts. */
export function PolicyPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const canManage = hasPermission(me.permissions, 'finance:manage');
  const policy = useQuery({ queryKey: financeKeys.policy, queryFn: fetchPolicy });
  const percent = (bp: number) => formatBasisPoints(bp, i18n.language);

  const rateColumns: TableColumnsType<RoyaltyRate> = [
    { key: 'agency', title: t('finance.policy.agency'), render: (_, rate) => <span style={{ display: 'inline-block', minWidth: 140, maxWidth: 260 }}>{rate.agencyName}</span> },
    {
      key: 'dataset',
      title: t('finance.policy.dataset'),
      render: (_, rate) =>
        rate.datasetId ? (
          <span style={{ display: 'inline-block', minWidth: 140, maxWidth: 260 }}>{bilingual(rate.datasetTitleZh ?? '', rate.datasetTitleEn ?? '', i18n.language)}</span>
        ) : (
          <Typography.Text type="secondary">{t('finance.policy.allDatasets')}</Typography.Text>
        ),
    },
    { key: 'rate', title: t('finance.policy.royalty'), align: 'right', render: (_, rate) => <Typography.Text strong data-testid="royalty-rate" data-bp={rate.royaltyBp}>{percent(rate.royaltyBp)}</Typography.Text> },
    { key: 'updated', title: t('finance.policy.updatedAt'), render: (_, rate) => <span style={{ whiteSpace: 'nowrap' }} title={rate.updatedAt}>{formatDate(rate.updatedAt, i18n.language)}</span> },
  ];

  return (
    <>
      <PageHeader title={t('finance.policy.title')} description={canManage ? t('finance.policy.description') : t('finance.policy.descriptionReadOnly')} />
      {policy.isError ? (
        <LoadFailed error={policy.error} />
      ) : !policy.data ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={canManage ? 12 : 24}>
            <Card size="small" title={t('finance.policy.current')} data-testid="policy-current">
              <Descriptions
                size="small"
                column={1}
                items={[
                  { key: 'fee', label: t('finance.policy.platformFee'), children: <Typography.Text strong data-testid="policy-platform-fee" data-bp={policy.data.policy.platformFeeBp}>{percent(policy.data.policy.platformFeeBp)}</Typography.Text> },
                  { key: 'royalty', label: t('finance.policy.defaultRoyalty'), children: <Typography.Text strong data-testid="policy-default-royalty" data-bp={policy.data.policy.defaultRoyaltyBp}>{percent(policy.data.policy.defaultRoyaltyBp)}</Typography.Text> },
                  { key: 'vendor', label: t('finance.policy.vendorShare'), children: <Typography.Text data-testid="policy-vendor-share">{percent(Math.max(0, 10_000 - policy.data.policy.platformFeeBp - policy.data.policy.defaultRoyaltyBp))}</Typography.Text> },
                  { key: 'vat', label: t('finance.policy.vatRate'), children: <Typography.Text strong data-testid="policy-vat" data-bp={policy.data.policy.vatRateBp}>{percent(policy.data.policy.vatRateBp)}</Typography.Text> },
                  {
                    key: 'account',
                    label: t('finance.policy.collectionAccount'),
                    children: policy.data.policy.collectionAccount ? (
                      <span data-testid="policy-collection-account">
                        {policy.data.policy.collectionAccount.payee}
                        <br />
                        {policy.data.policy.collectionAccount.bank}
                        <br />
                        <Typography.Text strong style={{ fontVariantNumeric: 'tabular-nums' }}>
                          {policy.data.policy.collectionAccount.accountNumber}
                        </Typography.Text>
                      </span>
                    ) : (
                      <Typography.Text type="warning" data-testid="policy-collection-account">
                        {t('finance.policy.noCollectionAccount')}
                      </Typography.Text>
                    ),
                  },
                  { key: 'note', label: t('finance.policy.note'), children: policy.data.policy.note || t('common.none') },
                  { key: 'since', label: t('finance.policy.since'), children: <DateTime value={policy.data.policy.createdAt} /> },
                ]}
              />
              <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
                {t('finance.policy.howSplit')}
              </Typography.Paragraph>
            </Card>
          </Col>
          {canManage ? (
            <Col xs={24} xl={12}>
              <PolicyForm view={policy.data} />
            </Col>
          ) : null}
          <Col xs={24} xl={canManage ? 12 : 24}>
            <Card size="small" title={t('finance.policy.ratesTitle')}>
              <Table<RoyaltyRate>
                data-testid="royalty-rates"
                size="small"
                rowKey={(rate) => `${rate.agencyId}|${rate.datasetId ?? ''}`}
                columns={rateColumns}
                dataSource={policy.data.royaltyRates}
                pagination={false}
                scroll={{ x: 'max-content' }}
                onRow={(rate) => ({ 'data-testid': 'royalty-rate-row', 'data-agency-id': rate.agencyId, 'data-dataset-id': rate.datasetId ?? '' }) as HTMLAttributes<HTMLElement>}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('finance.policy.noRates', { rate: percent(policy.data.policy.defaultRoyaltyBp) })} /> }}
              />
            </Card>
          </Col>
          {canManage ? (
            <Col xs={24} xl={12}>
              <RoyaltyForm platformFeeBp={policy.data.policy.platformFeeBp} />
            </Col>
          ) : null}
        </Row>
      )}
    </>
  );
}

function PolicyForm({ view }: { view: FinancePolicyView }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PolicyValues>();
  const highestRate = Math.max(0, ...view.royaltyRates.map((rate) => rate.royaltyBp));
  const save = useMutation({
    mutationFn: (values: PolicyValues) =>
      unwrap(
        api.POST('/api/v1/finance/policy', {
          body: {
            platformFeeBp: percentToBasisPoints(values.platformFeeBp) ?? 0,
            defaultRoyaltyBp: percentToBasisPoints(values.defaultRoyaltyBp) ?? 0,
            vatRateBp: percentToBasisPoints(values.vatRateBp) ?? 0,
            ...(values.note?.trim() ? { note: values.note.trim() } : {}),
            ...(values.payee?.trim() && values.bank?.trim() && values.accountNumber?.trim()
              ? { collectionAccount: { payee: values.payee.trim(), bank: values.bank.trim(), accountNumber: values.accountNumber.trim() } }
              : {}),
          },
        }),
      ),
    onSuccess: async (saved) => {
      queryClient.setQueryData(financeKeys.policy, saved);
      await queryClient.invalidateQueries({ queryKey: financeKeys.policy });
      form.setFieldValue('note', '');
      void message.success(t('finance.policy.saved'));
    },
    onError: (error) => showFieldErrors(form, error, t, i18n.language),
  });
  return (
    <Card size="small" title={t('finance.policy.newPolicy')} data-testid="policy-form">
      {save.isError ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={describeFinanceError(save.error, t)} data-testid="policy-form-error" /> : null}
      <Form<PolicyValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{
          platformFeeBp: basisPointsToPercent(view.policy.platformFeeBp),
          defaultRoyaltyBp: basisPointsToPercent(view.policy.defaultRoyaltyBp),
          vatRateBp: basisPointsToPercent(view.policy.vatRateBp),
          note: '',
          payee: view.policy.collectionAccount?.payee ?? '',
          bank: view.policy.collectionAccount?.bank ?? '',
          accountNumber: view.policy.collectionAccount?.accountNumber ?? '',
        }}
        onFinish={(values) => save.mutate(values)}
      >
        <Row gutter={12}>
          <Col xs={24} sm={8}>
            {/* The split is checked where the API reports it: beside the platform fee. */}
            <Form.Item
              name="platformFeeBp"
              label={t('finance.policy.platformFee')}
              dependencies={['defaultRoyaltyBp']}
              rules={[
                ...percentRules(t),
                ({ getFieldValue }) => ({
                  validator: (_, value) => {
                    const fee = percentToBasisPoints(value as number);
                    const royalty = percentToBasisPoints(getFieldValue('defaultRoyaltyBp') as number);
                    if (fee === null || royalty === null || fee + Math.max(royalty, highestRate) <= 10_000) return Promise.resolve();
                    return Promise.reject(new Error(t('finance.policy.splitOver', { highest: formatBasisPoints(Math.max(royalty, highestRate), i18n.language) })));
                  },
                }),
              ]}
            >
              <InputNumber min={0} max={100} step={0.5} precision={2} suffix="%" style={{ width: '100%' }} data-testid="policy-form-platform-fee" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="defaultRoyaltyBp" label={t('finance.policy.defaultRoyalty')} rules={percentRules(t)}>
              <InputNumber min={0} max={100} step={0.5} precision={2} suffix="%" style={{ width: '100%' }} data-testid="policy-form-default-royalty" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="vatRateBp" label={t('finance.policy.vatRate')} rules={percentRules(t)}>
              <InputNumber min={0} max={100} step={0.5} precision={2} suffix="%" style={{ width: '100%' }} data-testid="policy-form-vat" />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text strong>{t('finance.policy.collectionAccount')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
          {t('finance.policy.collectionAccountHint')}
        </Typography.Paragraph>
        <Row gutter={12}>
          <Col xs={24}>
            <Form.Item name="payee" label={t('finance.policy.payee')} dependencies={['bank', 'accountNumber']} rules={accountRules(t)}>
              <Input maxLength={200} data-testid="policy-form-payee" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="bank" label={t('finance.policy.bank')} dependencies={['payee', 'accountNumber']} rules={accountRules(t)}>
              <Input maxLength={200} data-testid="policy-form-bank" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="accountNumber"
          label={t('finance.policy.accountNumber')}
          dependencies={['payee', 'bank']}
          rules={[...accountRules(t), { pattern: ACCOUNT_NUMBER, message: t('finance.policy.accountNumberFormat') }]}
        >
          <Input maxLength={40} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="policy-form-account-number" />
        </Form.Item>
        <Form.Item name="note" label={t('finance.policy.note')} extra={t('finance.policy.noteHint')}>
          <Input.TextArea rows={2} maxLength={500} data-testid="policy-form-note" />
        </Form.Item>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('finance.policy.appliesFromNow')}
        </Typography.Paragraph>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="policy-form-submit">
          {t('finance.policy.save')}
        </Button>
      </Form>
    </Card>
  );
}

/** Agencies that publish in the catalog (the facet's slugs and names). */
function useCatalogAgencies() {
  return useQuery({
    queryKey: financeKeys.agencies,
    queryFn: async () => {
      const result = await unwrap(api.GET('/api/v1/catalog/datasets', { params: { query: { pageSize: 1 } } }));
      return (result.facets.find((facet) => facet.field === 'agency')?.counts ?? []).map((count) => ({ slug: count.value, name: count.label ?? count.value }));
    },
    staleTime: 5 * 60_000,
  });
}

function RoyaltyForm({ platformFeeBp }: { platformFeeBp: number }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<RoyaltyValues>();
  const agency = Form.useWatch('agency', form);
  const agencies = useCatalogAgencies();
  const datasets = useQuery({
    queryKey: financeKeys.agencyDatasets(agency ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/catalog/datasets', { params: { query: { agency: [agency!], pageSize: 100, sort: 'title' } } })),
    enabled: Boolean(agency),
  });
  const agencyId = datasets.data?.items[0]?.agency.id;
  const save = useMutation({
    mutationFn: (values: RoyaltyValues) =>
      unwrap(
        api.PUT('/api/v1/finance/royalty-rates', {
          body: { agencyId: agencyId ?? '', ...(values.datasetId ? { datasetId: values.datasetId } : {}), royaltyBp: percentToBasisPoints(values.royaltyBp) ?? 0 },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(financeKeys.policy, saved);
      form.resetFields();
      void message.success(t('finance.policy.rateSaved'));
    },
    onError: (error) => showFieldErrors(form, error, t, i18n.language, { agencyId: 'agency' }),
  });
  return (
    <Card size="small" title={t('finance.policy.setRate')} data-testid="royalty-form">
      {save.isError ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={describeFinanceError(save.error, t)} data-testid="royalty-form-error" /> : null}
      <Form<RoyaltyValues> form={form} layout="vertical" requiredMark={false} onFinish={(values) => save.mutate(values)}>
        <Form.Item name="agency" label={t('finance.policy.agency')} rules={[{ required: true, message: t('validation.required') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={agencies.isPending}
            options={(agencies.data ?? []).map((item) => ({ value: item.slug, label: item.name }))}
            onChange={() => form.setFieldValue('datasetId', null)}
            placeholder={t('finance.policy.chooseAgency')}
            data-testid="royalty-form-agency"
          />
        </Form.Item>
        <Form.Item name="datasetId" label={t('finance.policy.dataset')} extra={t('finance.policy.datasetHint')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            disabled={!agency}
            loading={datasets.isFetching}
            options={(datasets.data?.items ?? []).map((dataset) => ({ value: dataset.id, label: bilingual(dataset.titleZh, dataset.titleEn, i18n.language) }))}
            placeholder={t('finance.policy.allDatasets')}
            data-testid="royalty-form-dataset"
          />
        </Form.Item>
        <Form.Item
          name="royaltyBp"
          label={t('finance.policy.royalty')}
          rules={[
            ...percentRules(t),
            {
              validator: (_, value) => {
                const royalty = percentToBasisPoints(value as number);
                if (royalty === null || royalty + platformFeeBp <= 10_000) return Promise.resolve();
                return Promise.reject(new Error(t('finance.policy.splitAtMost', { max: formatBasisPoints(10_000 - platformFeeBp, i18n.language) })));
              },
            },
          ]}
        >
          <InputNumber min={0} max={100} step={0.5} precision={2} suffix="%" style={{ width: '100%' }} data-testid="royalty-form-rate" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending} disabled={Boolean(agency) && !agencyId} data-testid="royalty-form-submit">
          {t('finance.policy.saveRate')}
        </Button>
      </Form>
    </Card>
  );
}
