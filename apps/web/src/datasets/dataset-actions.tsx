import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Popconfirm, Radio, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Classification, DatasetDetail } from '../api/schema-types';
import { ClassificationTag } from '../catalog/catalog-tags';
import { classifications } from '../catalog/vocabulary';
import { useFormErrorHandler, useShowApiError } from '../components/api-error-feedback';
import { useNotifySuccess, type SuccessMessage } from '../components/success-feedback';
import { DependentProducts } from './dependent-products';

const REASON = { min: 3, max: 1000 } as const;
const strictness: Record<Classification, number> = { open: 0, conditional: 1, restricted: 2 };

/** What moving from one classification to another does to people who use the data. */
export function reclassificationEffect(from: Classification, to: Classification): 'revokesGrants' | 'narrows' | 'widens' | 'none' {
  if (from === to) return 'none';
  if (to === 'restricted') return 'revokesGrants';
  return strictness[to] > strictness[from] ? 'narrows' : 'widens';
}

function useDatasetMutation<Variables>(call: (variables: Variables) => Promise<unknown>, success: SuccessMessage, onError: (error: unknown) => void) {
  const queryClient = useQueryClient();
  const notifySuccess = useNotifySuccess();
  return useMutation({
    mutationFn: call,
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.catalogAll }),
        queryClient.invalidateQueries({ queryKey: queryKeys.agencyDatasets }),
      ]);
      notifySuccess(success);
    },
    onError,
  });
}

/** Publish, withdraw and reclassify, each confirmed (withdraw and reclassify with a reason). */
export function DatasetActions({ dataset }: { dataset: DatasetDetail }) {
  const { t } = useTranslation();
  const showError = useShowApiError();
  const [withdrawing, setWithdrawing] = useState(false);
  const [reclassifying, setReclassifying] = useState(false);

  const publish = useDatasetMutation(
    () => unwrap(api.POST('/api/v1/agency/datasets/{id}/publish', { params: { path: { id: dataset.id } } })),
    'datasetPublished',
    showError,
  );
  const hasData = dataset.currentVersion !== null;

  return (
    <Space wrap>
      {dataset.status === 'published' ? (
        <Link to={`/catalog/${dataset.slug}`}>
          <Button data-testid="dataset-view-public">{t('datasets.actions.viewInCatalog')}</Button>
        </Link>
      ) : (
        <Tooltip title={hasData ? null : t('datasets.actions.publishNeedsData')}>
          <Popconfirm
            title={t('datasets.actions.publishConfirmTitle')}
            description={t('datasets.actions.publishConfirmDescription')}
            okText={t('datasets.actions.publish')}
            cancelText={t('common.cancel')}
            disabled={!hasData}
            onConfirm={() => publish.mutateAsync(undefined).catch(() => undefined)}
          >
            <Button type="primary" disabled={!hasData} loading={publish.isPending} data-testid="dataset-publish">
              {t('datasets.actions.publish')}
            </Button>
          </Popconfirm>
        </Tooltip>
      )}
      {dataset.status === 'published' ? (
        <Button danger onClick={() => setWithdrawing(true)} data-testid="dataset-withdraw-open">
          {t('datasets.actions.withdraw')}
        </Button>
      ) : null}
      <Button onClick={() => setReclassifying(true)} data-testid="dataset-reclassify-open">
        {t('datasets.actions.reclassify')}
      </Button>
      <WithdrawModal dataset={dataset} open={withdrawing} onClose={() => setWithdrawing(false)} />
      <ReclassifyModal dataset={dataset} open={reclassifying} onClose={() => setReclassifying(false)} />
    </Space>
  );
}

function WithdrawModal({ dataset, open, onClose }: { dataset: DatasetDetail; open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const handleError = useFormErrorHandler(form);
  const withdraw = useDatasetMutation(
    (reason: string) => unwrap(api.POST('/api/v1/agency/datasets/{id}/withdraw', { params: { path: { id: dataset.id } }, body: { reason } })),
    'datasetWithdrawn',
    handleError,
  );
  return (
    <Modal
      open={open}
      title={t('datasets.actions.withdrawTitle')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button danger type="primary" loading={withdraw.isPending} onClick={() => form.submit()} data-testid="dataset-withdraw-submit">
            {t('datasets.actions.withdraw')}
          </Button>
        </>
      }
    >
      <Typography.Paragraph>{t('datasets.actions.withdrawDescription')}</Typography.Paragraph>
      {open ? <DependentProducts datasetId={dataset.id} action="withdraw" /> : null}
      <Form form={form} layout="vertical" requiredMark={false} noValidate onFinish={({ reason }) => withdraw.mutateAsync(reason.trim()).then(onClose, () => undefined)}>
        <ReasonField />
      </Form>
    </Modal>
  );
}

function ReclassifyModal({ dataset, open, onClose }: { dataset: DatasetDetail; open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ classification: Classification; reason: string }>();
  const handleError = useFormErrorHandler(form);
  const target = Form.useWatch('classification', form);
  const reclassify = useDatasetMutation(
    (body: { classification: Classification; reason: string }) =>
      unwrap(api.POST('/api/v1/agency/datasets/{id}/reclassify', { params: { path: { id: dataset.id } }, body })),
    'datasetReclassified',
    handleError,
  );
  const effect = target ? reclassificationEffect(dataset.classification, target) : 'none';

  return (
    <Modal
      open={open}
      title={t('datasets.actions.reclassifyTitle')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            danger={effect === 'revokesGrants'}
            disabled={effect === 'none'}
            loading={reclassify.isPending}
            onClick={() => form.submit()}
            data-testid="dataset-reclassify-submit"
          >
            {t('datasets.actions.reclassify')}
          </Button>
        </>
      }
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        noValidate
        initialValues={{ classification: dataset.classification }}
        onFinish={(values) => reclassify.mutateAsync({ classification: values.classification, reason: values.reason.trim() }).then(onClose, () => undefined)}
      >
        <Form.Item name="classification" label={t('datasets.actions.newClassification')}>
          <Radio.Group data-testid="dataset-reclassify-classification">
            <Space orientation="vertical">
              {classifications.map((value) => (
                <Radio key={value} value={value} data-testid={`dataset-reclassify-${value}`}>
                  <Space size={8} wrap>
                    <ClassificationTag classification={value} />
                    {value === dataset.classification ? <Typography.Text type="secondary">{t('datasets.actions.current')}</Typography.Text> : null}
                  </Space>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        {effect !== 'none' ? (
          <Alert
            style={{ marginBottom: 16 }}
            showIcon
            type={effect === 'revokesGrants' ? 'error' : 'warning'}
            data-testid="reclassify-warning"
            data-effect={effect}
            title={t(`datasets.actions.effects.${effect}`)}
          />
        ) : null}
        {effect === 'narrows' || effect === 'revokesGrants' ? <DependentProducts datasetId={dataset.id} action="reclassify" /> : null}
        <ReasonField />
      </Form>
    </Modal>
  );
}

function ReasonField() {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="reason"
      label={t('datasets.actions.reason')}
      // The character count sits at the end of the hint's line: keep the hint clear of it.
      extra={<span style={{ display: 'block', paddingInlineEnd: 80 }}>{t('datasets.actions.reasonHint')}</span>}
      rules={[
        { required: true, whitespace: true, message: t('validation.required') },
        { min: REASON.min, message: t('validation.minLength', { count: REASON.min }) },
      ]}
    >
      <Input.TextArea rows={3} maxLength={REASON.max} showCount data-testid="action-reason" />
    </Form.Item>
  );
}
