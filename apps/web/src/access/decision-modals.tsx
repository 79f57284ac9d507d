import { useEffect } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Form, Input, InputNumber, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { AccessRequest, Grant } from '../api/schema-types';
import { GRANT_DAYS } from '../catalog/vocabulary';
import { useFormErrorHandler } from '../components/api-error-feedback';
import { useNotifySuccess, type SuccessMessage } from '../components/success-feedback';
import { DatasetLink } from './access-display';

const REASON = { min: 3, max: 1000 } as const;

export type Decision = { kind: 'approve'; request: AccessRequest } | { kind: 'reject'; request: AccessRequest } | { kind: 'revoke'; grant: Grant };

interface DecisionFormValues {
  days?: number;
  reason?: string;
}

/** Approve (term, optional note), reject (reason) or revoke (reason), with what is being decided in view. */
export function DecisionModal({ decision, onClose }: { decision: Decision | null; onClose(): void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const notifySuccess = useNotifySuccess();
  const [form] = Form.useForm<DecisionFormValues>();
  const handleError = useFormErrorHandler(form);
  // One form serves every decision: a note typed for one request must never carry over to the next.
  useEffect(() => {
    form.resetFields();
  }, [decision, form]);

  const decide = useMutation({
    mutationFn: async ({ decision, values }: { decision: Decision; values: DecisionFormValues }): Promise<SuccessMessage> => {
      const reason = values.reason?.trim();
      switch (decision.kind) {
        case 'approve':
          await unwrap(
            api.POST('/api/v1/agency/access-requests/{id}/approve', {
              params: { path: { id: decision.request.id } },
              body: { days: values.days, ...(reason ? { reason } : {}) },
            }),
          );
          return 'accessApproved';
        case 'reject':
          await unwrap(api.POST('/api/v1/agency/access-requests/{id}/reject', { params: { path: { id: decision.request.id } }, body: { reason: reason ?? '' } }));
          return 'accessRejected';
        case 'revoke':
          await unwrap(api.POST('/api/v1/agency/access-grants/{id}/revoke', { params: { path: { id: decision.grant.id } }, body: { reason: reason ?? '' } }));
          return 'grantRevoked';
      }
    },
    onSuccess: async (message) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.accessRequestsAll });
      notifySuccess(message);
      onClose();
    },
    onError: handleError,
  });

  if (!decision) return null;
  const kind = decision.kind;
  const reasonRequired = kind !== 'approve';
  const dataset = kind === 'revoke' ? decision.grant.dataset : decision.request.dataset;
  const organization = kind === 'revoke' ? decision.grant.organization : decision.request.organization;

  return (
    <Modal
      open
      title={t(`access.decide.${kind}Title`)}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" danger={kind !== 'approve'} loading={decide.isPending} onClick={() => form.submit()} data-testid={`access-${kind}-submit`}>
            {t(`access.decide.${kind}`)}
          </Button>
        </>
      }
    >
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'dataset', label: t('access.fields.dataset'), children: <DatasetLink dataset={dataset} /> },
          { key: 'organization', label: t('access.fields.organization'), children: organization.name },
          ...(kind === 'revoke'
            ? []
            : [
                { key: 'purpose', label: t('access.fields.purpose'), children: t(`vocab.purposes.${decision.request.purpose}`) },
                { key: 'term', label: t('access.fields.requestedDays'), children: t('access.days', { days: decision.request.requestedDays }) },
                { key: 'use', label: t('access.fields.intendedUse'), children: <span style={{ whiteSpace: 'pre-wrap' }}>{decision.request.intendedUse}</span> },
              ]),
        ]}
      />
      {kind === 'revoke' ? <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('access.decide.revokeWarning')} /> : null}
      <Form<DecisionFormValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        noValidate
        initialValues={kind === 'approve' ? { days: decision.request.requestedDays } : {}}
        onFinish={(values) => decide.mutate({ decision, values })}
      >
        {kind === 'approve' ? (
          <Form.Item
            name="days"
            label={t('access.decide.days')}
            extra={t('access.decide.daysHint', { requested: decision.request.requestedDays, max: GRANT_DAYS.max })}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <InputNumber min={GRANT_DAYS.min} max={GRANT_DAYS.max} precision={0} style={{ width: '100%' }} data-testid="access-approve-days" />
          </Form.Item>
        ) : null}
        <Form.Item
          name="reason"
          label={reasonRequired ? t('access.decide.reason') : t('access.decide.note')}
          extra={t('access.decide.reasonHint')}
          rules={
            reasonRequired
              ? [
                  { required: true, whitespace: true, message: t('validation.required') },
                  { min: REASON.min, message: t('validation.minLength', { count: REASON.min }) },
                ]
              : []
          }
        >
          <Input.TextArea rows={3} maxLength={REASON.max} showCount data-testid={`access-${kind}-reason`} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
