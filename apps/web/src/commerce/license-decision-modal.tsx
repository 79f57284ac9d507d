import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { License } from '../api/schema-types';
import { useFormErrorHandler } from '../components/api-error-feedback';
import { optionalText, pairText } from './commerce-display';
import { LicenseProduct } from './license-display';

const REASON = { min: 3, max: 1000 } as const;

export type LicenseDecision = { kind: 'approve' | 'reject' | 'revoke'; license: License };

/** Approve or reject a purpose-bound purchase (a rejection needs a reason), or revoke a licence sold (with the reason the buyer is told). */
export function LicenseDecisionModal({ decision, onClose }: { decision: LicenseDecision; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason?: string }>();
  const handleError = useFormErrorHandler(form);

  const decide = useMutation({
    mutationFn: async ({ decision, reason }: { decision: LicenseDecision; reason: string }) => {
      const id = decision.license.id;
      if (decision.kind === 'revoke') return unwrap(api.POST('/api/v1/sales/licenses/{id}/revoke', { params: { path: { id } }, body: { reason } }));
      return unwrap(
        api.POST('/api/v1/license-approvals/{id}/decision', {
          params: { path: { id } },
          body: { decision: decision.kind, ...(reason ? { reason } : {}) },
        }),
      );
    },
    onSuccess: async (_license, { decision }) => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.licenseApprovalsAll }), queryClient.invalidateQueries({ queryKey: queryKeys.sales })]);
      void message.success(t(`commerce.approvals.done.${decision.kind}`));
      onClose();
    },
    onError: handleError,
  });

  const { kind, license } = decision;
  const reasonRequired = kind !== 'approve';
  return (
    <Modal
      open
      title={t(`commerce.approvals.titles.${kind}`)}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" danger={kind !== 'approve'} loading={decide.isPending} onClick={() => form.submit()} data-testid={`license-${kind}-submit`}>
            {t(`commerce.approvals.actions.${kind}`)}
          </Button>
        </>
      }
    >
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'product', label: t('commerce.licenses.product'), children: <LicenseProduct license={license} /> },
          { key: 'buyer', label: t('commerce.licenses.buyer'), children: license.buyer.name },
          { key: 'price', label: t('commerce.licenses.price'), children: pairText(license.priceText, i18n.language) },
          ...(optionalText(license.purpose)
            ? [{ key: 'purpose', label: t('commerce.checkout.purpose'), children: t(`vocab.purposes.${optionalText(license.purpose) as 'research'}`, { defaultValue: optionalText(license.purpose) ?? '' }) }]
            : []),
          ...(license.intendedUse ? [{ key: 'use', label: t('commerce.checkout.intendedUse'), children: <span style={{ whiteSpace: 'pre-wrap' }}>{license.intendedUse}</span> }] : []),
        ]}
      />
      {kind === 'revoke' ? <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('commerce.sales.revokeWarning')} /> : null}
      <Form<{ reason?: string }>
        form={form}
        layout="vertical"
        requiredMark={false}
        noValidate
        onFinish={(values) => decide.mutate({ decision, reason: values.reason?.trim() ?? '' })}
      >
        <Form.Item
          name="reason"
          label={reasonRequired ? t('commerce.approvals.reason') : t('commerce.approvals.note')}
          extra={t('commerce.approvals.reasonHint')}
          rules={
            reasonRequired
              ? [
                  { required: true, whitespace: true, message: t('validation.required') },
                  { min: REASON.min, message: t('validation.minLength', { count: REASON.min }) },
                ]
              : []
          }
        >
          <Input.TextArea rows={3} maxLength={REASON.max} showCount data-testid={`license-${kind}-reason`} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
