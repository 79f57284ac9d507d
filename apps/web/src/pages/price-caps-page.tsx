import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Empty, Flex, Form, Input, InputNumber, Modal, Row, Select, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Classification, MeteredUnit, PriceCap, Theme, UpsertPriceCapRequest } from '../api/schema-types';
import { classifications, themes } from '../catalog/vocabulary';
import { usePerBlock } from '../commerce/commerce-display';
import { meteredUnits } from '../commerce/commerce-vocabulary';
import { decimalToMinor, formatMoney, minorToDecimal } from '../commerce/money';
import { MoneyInput, moneyRules } from '../commerce/money-input';
import { useFormErrorHandler } from '../components/api-error-feedback';
import { PageHeader } from '../components/page-header';

const CURRENCY = /^[A-Z]{3}$/;

/** A cap's per-unit limit as the API stores it ({ unit, per, amount }), read defensively. */
export function perUnitOf(cap: Pick<PriceCap, 'maxPerUnit'>): { unit: MeteredUnit; per: number; amount: number } | null {
  const value = cap.maxPerUnit as { unit?: unknown; per?: unknown; amount?: unknown } | null;
  if (!value || !meteredUnits.includes(value.unit as MeteredUnit) || typeof value.per !== 'number' || typeof value.amount !== 'number') return null;
  return { unit: value.unit as MeteredUnit, per: value.per, amount: value.amount };
}

/** The platform's public-data pricing rules: the most products of a theme or classification may cost. */
export function PriceCapsPage() {
  const { t, i18n } = useTranslation();
  const perBlock = usePerBlock();
  const [editing, setEditing] = useState<PriceCap | 'new' | null>(null);
  const caps = useQuery({ queryKey: queryKeys.priceCaps, queryFn: () => unwrap(api.GET('/api/v1/price-caps')) });
  const limit = (amount: number | null, currency: string) =>
    amount === null ? <Typography.Text type="secondary">{t('commerce.caps.noLimit')}</Typography.Text> : <span style={{ whiteSpace: 'nowrap' }}>{formatMoney(amount, currency, i18n.language)}</span>;

  const columns: TableColumnsType<PriceCap> = [
    {
      key: 'scope',
      title: t('commerce.caps.scope'),
      render: (_, cap) => (
        <Flex gap={4} wrap style={{ minWidth: 120 }}>
          {cap.theme ? <Tag>{t(`vocab.themes.${cap.theme}`)}</Tag> : null}
          {cap.classification ? <Tag color="blue">{t(`classification.${cap.classification}.name`)}</Tag> : null}
          {!cap.theme && !cap.classification ? <Tag>{t('commerce.caps.everyProduct')}</Tag> : null}
        </Flex>
      ),
    },
    { key: 'oneTime', title: t('commerce.caps.maxOneTime'), render: (_, cap) => limit(cap.maxOneTime, cap.currency) },
    { key: 'monthly', title: t('commerce.caps.maxMonthly'), render: (_, cap) => limit(cap.maxMonthly, cap.currency) },
    {
      key: 'perUnit',
      title: t('commerce.caps.maxPerUnit'),
      render: (_, cap) => {
        const perUnit = perUnitOf(cap);
        return perUnit ? <span style={{ whiteSpace: 'nowrap' }}>{perBlock(perUnit.amount, cap.currency, perUnit.per, perUnit.unit)}</span> : limit(null, cap.currency);
      },
    },
    { key: 'note', title: t('commerce.caps.note'), render: (_, cap) => <Typography.Text type="secondary" style={{ display: 'inline-block', minWidth: 140, maxWidth: 260 }}>{cap.note || t('common.none')}</Typography.Text> },
    { key: 'active', title: t('commerce.caps.status'), render: (_, cap) => <Tag color={cap.active ? 'green' : 'default'}>{cap.active ? t('commerce.caps.active') : t('commerce.caps.inactive')}</Tag> },
    {
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      render: (_, cap) => (
        <Button size="small" onClick={() => setEditing(cap)} data-testid={`cap-edit-${cap.id}`}>
          {t('commerce.caps.edit')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('commerce.caps.title')}
        description={t('commerce.caps.description')}
        extra={
          <Button type="primary" onClick={() => setEditing('new')} data-testid="cap-create">
            {t('commerce.caps.create')}
          </Button>
        }
      />
      <Table<PriceCap>
        data-testid="price-caps-table"
        size="small"
        rowKey="id"
        loading={caps.isPending}
        columns={columns}
        dataSource={caps.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        rowClassName={(cap) => (cap.active ? '' : 'civic-row-muted')}
        onRow={(cap) => ({ 'data-testid': 'cap-row', 'data-cap-id': cap.id }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: caps.isError ? t('common.loadFailed') : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('commerce.caps.empty')} /> }}
      />
      {editing ? <PriceCapModal key={editing === 'new' ? 'new' : editing.id} cap={editing} onClose={() => setEditing(null)} /> : null}
    </>
  );
}

interface CapFormValues {
  theme?: Theme;
  classification?: Classification;
  currency: string;
  maxOneTime?: string;
  maxMonthly?: string;
  perUnitUnit?: MeteredUnit;
  perUnitPer?: number | null;
  perUnitAmount?: string;
  note?: string;
  active: boolean;
}

function formOf(cap: PriceCap | null): CapFormValues {
  if (!cap) return { currency: 'CNY', active: true, perUnitPer: 1000 };
  const perUnit = perUnitOf(cap);
  return {
    ...(cap.theme ? { theme: cap.theme } : {}),
    ...(cap.classification ? { classification: cap.classification } : {}),
    currency: cap.currency,
    ...(cap.maxOneTime !== null ? { maxOneTime: minorToDecimal(cap.maxOneTime, cap.currency) } : {}),
    ...(cap.maxMonthly !== null ? { maxMonthly: minorToDecimal(cap.maxMonthly, cap.currency) } : {}),
    ...(perUnit ? { perUnitUnit: perUnit.unit, perUnitPer: perUnit.per, perUnitAmount: minorToDecimal(perUnit.amount, cap.currency) } : { perUnitPer: 1000 }),
    note: cap.note,
    active: cap.active,
  };
}

/** The API's cap body from the form: amounts typed in major units become integer minor units. */
export function capRequestOf(values: CapFormValues): UpsertPriceCapRequest {
  const currency = values.currency.trim().toUpperCase();
  const minor = (text: string | undefined) => (text && text.trim() !== '' ? decimalToMinor(text, currency) : null);
  const oneTime = minor(values.maxOneTime);
  const monthly = minor(values.maxMonthly);
  const perUnitAmount = minor(values.perUnitAmount);
  return {
    ...(values.theme ? { theme: values.theme } : {}),
    ...(values.classification ? { classification: values.classification } : {}),
    currency,
    ...(oneTime !== null ? { maxOneTime: oneTime } : {}),
    ...(monthly !== null ? { maxMonthly: monthly } : {}),
    ...(values.perUnitUnit && perUnitAmount !== null ? { maxPerUnit: { unit: values.perUnitUnit, per: values.perUnitPer ?? 1, amount: perUnitAmount } } : {}),
    note: values.note?.trim() ?? '',
    active: values.active,
  };
}

function PriceCapModal({ cap, onClose }: { cap: PriceCap | 'new'; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CapFormValues>();
  const handleError = useFormErrorHandler(form);
  const currency = (Form.useWatch('currency', form) ?? 'CNY').toUpperCase();
  const validCurrency = CURRENCY.test(currency) ? currency : 'CNY';

  const save = useMutation({
    mutationFn: (body: UpsertPriceCapRequest) =>
      cap !== 'new' ? unwrap(api.PUT('/api/v1/price-caps/{id}', { params: { path: { id: cap.id } }, body })) : unwrap(api.POST('/api/v1/price-caps', { body })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.priceCaps });
      void message.success(t('commerce.caps.saved'));
      onClose();
    },
    onError: handleError,
  });

  return (
    <Modal
      open
      title={cap === 'new' ? t('commerce.caps.createTitle') : t('commerce.caps.editTitle')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="cap-submit">
            {t('common.save')}
          </Button>
        </>
      }
    >
      <Form<CapFormValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        noValidate
        initialValues={formOf(cap === 'new' ? null : cap)}
        onFinish={(values) => {
          const body = capRequestOf(values);
          if (body.maxOneTime === undefined && body.maxMonthly === undefined && body.maxPerUnit === undefined) {
            form.setFields([{ name: 'maxOneTime', errors: [t('commerce.caps.needsLimit')] }]);
            return;
          }
          save.mutate(body);
        }}
        data-testid="cap-form"
      >
        <Typography.Paragraph type="secondary">{t('commerce.caps.scopeHint')}</Typography.Paragraph>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="theme" label={t('commerce.caps.theme')}>
              <Select allowClear placeholder={t('commerce.caps.anyTheme')} options={themes.map((theme) => ({ value: theme, label: t(`vocab.themes.${theme}`) }))} data-testid="cap-theme" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="classification" label={t('commerce.caps.classification')}>
              <Select
                allowClear
                placeholder={t('commerce.caps.anyClassification')}
                options={classifications.map((classification) => ({ value: classification, label: t(`classification.${classification}.name`) }))}
                data-testid="cap-classification"
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="currency"
          label={t('commerce.caps.currency')}
          normalize={(value: string) => value.toUpperCase()}
          rules={[{ required: true, pattern: CURRENCY, message: t('commerce.caps.currencyInvalid') }]}
        >
          <Input maxLength={3} style={{ width: 120 }} data-testid="cap-currency" />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="maxOneTime" label={t('commerce.caps.maxOneTime')} rules={moneyRules(validCurrency, t)}>
              <MoneyInput currency={validCurrency} data-testid="cap-max-one-time" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="maxMonthly" label={t('commerce.caps.maxMonthly')} extra={t('commerce.caps.maxMonthlyHint')} rules={moneyRules(validCurrency, t)}>
              <MoneyInput currency={validCurrency} data-testid="cap-max-monthly" />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text strong>{t('commerce.caps.maxPerUnit')}</Typography.Text>
        <Row gutter={12} style={{ marginTop: 8 }}>
          <Col xs={24} sm={8}>
            <Form.Item name="perUnitAmount" label={t('commerce.caps.perUnitAmount')} rules={moneyRules(validCurrency, t)}>
              <MoneyInput currency={validCurrency} data-testid="cap-per-unit-amount" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="perUnitPer" label={t('commerce.caps.perUnitPer')}>
              <InputNumber min={1} precision={0} style={{ width: '100%' }} data-testid="cap-per-unit-per" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item
              name="perUnitUnit"
              label={t('commerce.caps.perUnitUnit')}
              dependencies={['perUnitAmount']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: async (_rule, value) => {
                    if (String(getFieldValue('perUnitAmount') ?? '').trim() !== '' && !value) throw new Error(t('validation.required'));
                  },
                }),
              ]}
            >
              <Select allowClear options={meteredUnits.map((unit) => ({ value: unit, label: t(`commerce.vocab.units.${unit}`) }))} data-testid="cap-per-unit-unit" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="note" label={t('commerce.caps.note')}>
          <Input.TextArea rows={2} maxLength={500} showCount data-testid="cap-note" />
        </Form.Item>
        <Form.Item name="active" label={t('commerce.caps.status')} valuePropName="checked" extra={t('commerce.caps.activeHint')}>
          <Switch data-testid="cap-active" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
