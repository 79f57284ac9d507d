import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Product } from '../api/schema-types';
import { applyValidationIssues } from '../components/api-error-feedback';
import { localizedText } from '../catalog/localized-text';
import { useProductFeedback } from './product-feedback';

export type ReviewDecisionKind = 'approve' | 'reject';

const REASON = { min: 3, max: 2000 } as const;

/** Approve (with an optional note) or reject (with a reason the owner sees) a submitted product. */
export function ReviewDecisionModal({ product, decision, onClose }: { product: Product; decision: ReviewDecisionKind | null; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const feedback = useProductFeedback();
  const [form] = Form.useForm<{ reason?: string }>();

  const decide = useMutation({
    mutationFn: ({ kind, reason }: { kind: ReviewDecisionKind; reason?: string }) =>
      unwrap(
        api.POST('/api/v1/product-reviews/{id}/decision', {
          params: { path: { id: product.id } },
          body: { decision: kind, ...(reason ? { reason } : {}) },
        }),
      ),
    onSuccess: async (updated, { kind }) => {
      queryClient.setQueryData(queryKeys.productReview(product.id), updated);
      await queryClient.invalidateQueries({ queryKey: queryKeys.productReviewsAll });
      feedback.success(kind === 'approve' ? 'approved' : 'rejected');
      form.resetFields();
      onClose();
    },
    onError: (error) => {
      applyValidationIssues(form, error, t);
      feedback.error(error);
    },
  });

  if (!decision) return null;
  const reject = decision === 'reject';
  return (
    <Modal
      open
      title={t(reject ? 'products.review.rejectTitle' : 'products.review.approveTitle')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" danger={reject} loading={decide.isPending} onClick={() => form.submit()} data-testid={`review-${decision}-submit`}>
            {t(`products.review.decide.${decision}`)}
          </Button>
        </>
      }
    >
      <Typography.Paragraph strong>{localizedText(product.titleZh, product.titleEn, i18n.language).primary}</Typography.Paragraph>
      <Alert
        type={reject ? 'warning' : 'info'}
        showIcon
        style={{ marginBottom: 16 }}
        title={t(reject ? 'products.review.rejectExplain' : 'products.review.approveExplain')}
      />
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        noValidate
        onFinish={(values: { reason?: string }) => decide.mutate({ kind: decision, reason: values.reason?.trim() || undefined })}
      >
        <Form.Item
          name="reason"
          label={t(reject ? 'products.review.reason' : 'products.review.note')}
          extra={t(reject ? 'products.review.reasonHint' : 'products.review.noteHint')}
          rules={[
            ...(reject ? [{ required: true, whitespace: true, message: t('validation.required') }] : []),
            { min: REASON.min, message: t('products.review.reasonTooShort', { min: REASON.min }) },
          ]}
        >
          <Input.TextArea rows={4} maxLength={REASON.max} showCount data-testid="review-reason-input" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
