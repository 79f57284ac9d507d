import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Col, Form, Input, Modal, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { CreateProductRequest, InputCandidate, ProductKind, Theme } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { ClassificationTag } from '../catalog/catalog-tags';
import { localizedText } from '../catalog/localized-text';
import { THEME_LIST_HEIGHT, themes } from '../catalog/vocabulary';
import { applyValidationIssues } from '../components/api-error-feedback';
import { formatCount } from '../components/number-format';
import { describeProductError } from './derive-error';
import { emptyDraft, hasInputProblems, sourceKey, toInputSpecs, type InputDraft } from './input-drafts';
import { InputsEditor } from './inputs-editor';
import { useProductFeedback } from './product-feedback';
import { textLength, TITLE_MAX_LENGTH } from './product-vocabulary';
import { starterSql, suggestInputName } from './sql-schema';

interface CreateProductFormValues {
  titleZh: string;
  titleEn: string;
  theme: Theme;
  inputs: InputDraft[];
  /** Base products: the agency's dataset, as `dataset:<id>`. */
  dataset?: string;
  slug?: string;
}

const SLUG = /^[a-z0-9]([a-z0-9-]{0,78}[a-z0-9])?$/;

export function useInputCandidates(enabled = true) {
  return useQuery({ queryKey: queryKeys.productInputCandidates, queryFn: () => unwrap(api.GET('/api/v1/products/input-candidates')), enabled });
}

/** The kind of product an organization makes: agencies sell their own datasets, vendors derive. */
export function productKindFor(organizationKind: string): ProductKind {
  return organizationKind === 'agency' ? 'base' : 'derived';
}

/**
 * Creates a draft product, then opens its workspace. Vendors name a derived product and pick its
 * inputs (the SQL starts as every column of the first input); agencies pick one of their datasets
 * to sell as a base product.
 */
export function CreateProductModal({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const kind = productKindFor(me.organization.kind);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const feedback = useProductFeedback();
  const [form] = Form.useForm<CreateProductFormValues>();
  const [triedSubmit, setTriedSubmit] = useState(false);
  const candidates = useInputCandidates(open);
  const all = candidates.data?.items ?? [];
  // A base product sells one of the agency's own open or conditional datasets (restricted data is only ever derived).
  const ownDatasets = all.filter((candidate) => candidate.kind === 'dataset' && candidate.access === 'owner');

  // A title over the limit is refused with the limit, not cut short as it is typed or pasted.
  const titleWithin = {
    validator: (_: unknown, value: string | undefined) =>
      !value || textLength(value) <= TITLE_MAX_LENGTH ? Promise.resolve() : Promise.reject(new Error(t('products.fields.tooLong', { limit: formatCount(TITLE_MAX_LENGTH, i18n.language) }))),
  };
  const titleCounter = {
    show: ({ count }: { count: number }) => t('products.fields.count', { length: formatCount(count, i18n.language), limit: formatCount(TITLE_MAX_LENGTH, i18n.language) }),
    max: TITLE_MAX_LENGTH,
    strategy: textLength,
  };

  const create = useMutation({
    mutationFn: (values: CreateProductFormValues) => {
      let body: CreateProductRequest;
      if (kind === 'base') {
        const dataset = ownDatasets.find((candidate) => sourceKey('dataset', candidate.id) === values.dataset)!;
        body = { kind, titleZh: values.titleZh.trim(), titleEn: values.titleEn.trim(), theme: values.theme, inputs: [{ name: suggestInputName(dataset.slug, []), datasetId: dataset.id }] };
      } else {
        const inputs = toInputSpecs(values.inputs);
        body = { kind, titleZh: values.titleZh.trim(), titleEn: values.titleEn.trim(), theme: values.theme, inputs, sql: starterSql(inputs.map((input) => input.name)) };
      }
      if (values.slug?.trim()) body.slug = values.slug.trim();
      return unwrap(api.POST('/api/v1/products', { body }));
    },
    onSuccess: async (product) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.productsAll });
      feedback.success('created');
      form.resetFields();
      onClose();
      navigate(`/console/products/${product.id}`);
    },
    onError: (error, values) => {
      applyValidationIssues(form, error, t);
      if (error instanceof ApiError && error.code === 'product.slug_taken') {
        // Left empty, the URL name was made from the English title: say so, and where to change it.
        form.setFields([{ name: 'slug', errors: [t(values.slug?.trim() ? 'products.fields.slugTaken' : 'products.fields.slugTakenFromTitle')] }]);
      }
      feedback.error(error);
    },
  });

  const datasetOption = (candidate: InputCandidate) => {
    const title = localizedText(candidate.titleZh, candidate.titleEn, i18n.language);
    return {
      value: sourceKey('dataset', candidate.id),
      title: title.primary,
      label: (
        <Space size={8} wrap>
          <span>{title.primary}</span>
          {candidate.classification ? <ClassificationTag classification={candidate.classification} /> : null}
        </Space>
      ),
    };
  };

  return (
    <Modal
      open={open}
      title={t(kind === 'base' ? 'products.create.titleBase' : 'products.create.titleDerived')}
      onCancel={onClose}
      width={880}
      destroyOnHidden
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="product-create-submit">
            {t('products.create.submit')}
          </Button>
        </>
      }
    >
      <Typography.Paragraph type="secondary">{t(kind === 'base' ? 'products.create.introBase' : 'products.create.introDerived')}</Typography.Paragraph>
      {candidates.isError ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={describeProductError(candidates.error, t)} /> : null}
      <Form<CreateProductFormValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        noValidate
        data-testid="product-create-form"
        initialValues={{ inputs: [emptyDraft()] }}
        onValuesChange={(changed: Partial<CreateProductFormValues>) => {
          // A base product is named after its dataset until the steward types a title.
          if (kind !== 'base' || !changed.dataset) return;
          const dataset = ownDatasets.find((candidate) => sourceKey('dataset', candidate.id) === changed.dataset);
          if (!dataset) return;
          if (!form.isFieldTouched('titleZh')) form.setFieldValue('titleZh', dataset.titleZh);
          if (!form.isFieldTouched('titleEn')) form.setFieldValue('titleEn', dataset.titleEn);
        }}
        onFinish={(values) => create.mutate(values)}
        onFinishFailed={() => setTriedSubmit(true)}
      >
        {kind === 'base' ? (
          <Form.Item
            name="dataset"
            label={t('products.create.dataset')}
            extra={t('products.create.datasetHint')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Select
              loading={candidates.isPending}
              options={ownDatasets.map(datasetOption)}
              optionLabelProp="title"
              placeholder={t('products.create.datasetPlaceholder')}
              notFoundContent={t('products.create.noOwnDatasets')}
              data-testid="product-create-dataset"
            />
          </Form.Item>
        ) : null}
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="titleZh" label={t('products.fields.titleZh')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, titleWithin]}>
              <Input count={titleCounter} data-testid="product-form-title-zh" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="titleEn" label={t('products.fields.titleEn')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, titleWithin]}>
              <Input count={titleCounter} data-testid="product-form-title-en" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="theme" label={t('products.fields.theme')} rules={[{ required: true, message: t('validation.required') }]}>
              <Select data-testid="product-form-theme" listHeight={THEME_LIST_HEIGHT} options={themes.map((value) => ({ value, label: t(`vocab.themes.${value}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="slug" label={t('products.fields.slug')} extra={t('products.fields.slugHint')} rules={[{ pattern: SLUG, message: t('datasets.fields.slugInvalid') }]}>
              <Input maxLength={80} placeholder={t('products.fields.slugPlaceholder')} data-testid="product-form-slug" />
            </Form.Item>
          </Col>
        </Row>
        {kind === 'derived' ? (
          <Form.Item
            name="inputs"
            label={t('products.inputs.title')}
            extra={t('products.create.inputsHint')}
            rules={[
              {
                validator: (_, drafts: InputDraft[] | undefined) =>
                  drafts && !hasInputProblems(drafts, all) ? Promise.resolve() : Promise.reject(new Error(t('products.inputs.problems.fix'))),
              },
            ]}
          >
            <InputsEditor candidates={all} loading={candidates.isPending} showRequired={triedSubmit} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
