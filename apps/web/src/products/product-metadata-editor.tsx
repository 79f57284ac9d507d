import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Col, Descriptions, Flex, Form, Input, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Product, Theme } from '../api/schema-types';
import { THEME_LIST_HEIGHT, themes } from '../catalog/vocabulary';
import { applyValidationIssues } from '../components/api-error-feedback';
import { DateTime } from '../components/date-time';
import { formatCount } from '../components/number-format';
import { useProductFeedback } from './product-feedback';
import { DESCRIPTION_MAX_LENGTH, textLength, TITLE_MAX_LENGTH } from './product-vocabulary';

interface ProductMetadataFormValues {
  titleZh: string;
  titleEn: string;
  descriptionZh?: string;
  descriptionEn?: string;
  theme: Theme;
  keywords?: string[];
}

/** The storefront texts of a product, in both languages; editable in every state but retired. */
export function ProductMetadataEditor({ product }: { product: Product }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const feedback = useProductFeedback();
  const [form] = Form.useForm<ProductMetadataFormValues>();
  const readOnly = product.status === 'retired';

  const save = useMutation({
    mutationFn: (values: ProductMetadataFormValues) =>
      unwrap(
        api.PATCH('/api/v1/products/{id}', {
          params: { path: { id: product.id } },
          body: {
            titleZh: values.titleZh.trim(),
            titleEn: values.titleEn.trim(),
            descriptionZh: values.descriptionZh?.trim() ?? '',
            descriptionEn: values.descriptionEn?.trim() ?? '',
            theme: values.theme,
            keywords: [...new Set((values.keywords ?? []).map((keyword) => keyword.trim()).filter(Boolean))],
          },
        }),
      ),
    onSuccess: async (updated) => {
      queryClient.setQueryData(queryKeys.product(product.id), updated);
      await Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.products }), queryClient.invalidateQueries({ queryKey: queryKeys.catalogAll })]);
      feedback.success('saved');
    },
    onError: (error) => {
      applyValidationIssues(form, error, t);
      feedback.error(error);
    },
  });

  const required = { required: true, whitespace: true, message: t('validation.required') };
  // Texts over their limit are refused with the limit and a counter, never cut short.
  const within = (limit: number) => ({
    validator: (_: unknown, value: string | undefined) =>
      !value || textLength(value) <= limit ? Promise.resolve() : Promise.reject(new Error(t('products.fields.tooLong', { limit: formatCount(limit, i18n.language) }))),
  });
  const counter = (limit: number) => ({
    show: ({ count }: { count: number }) => t('products.fields.count', { length: formatCount(count, i18n.language), limit: formatCount(limit, i18n.language) }),
    max: limit,
    strategy: textLength,
  });
  return (
    <Flex vertical gap={16}>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          {
            key: 'slug',
            label: t('products.fields.slug'),
            children: product.status === 'published' ? <Link to={`/products/${product.slug}`}>{product.slug}</Link> : product.slug,
          },
          { key: 'owner', label: t('products.fields.owner'), children: product.organizationName },
          { key: 'created', label: t('products.fields.created'), children: <DateTime value={product.createdAt} /> },
          { key: 'published', label: t('products.fields.published'), children: <DateTime value={product.publishedAt} empty={t('common.none')} /> },
        ]}
      />
      <Form<ProductMetadataFormValues>
        key={product.updatedAt}
        form={form}
        layout="vertical"
        requiredMark={false}
        noValidate
        disabled={readOnly}
        initialValues={{
          titleZh: product.titleZh,
          titleEn: product.titleEn,
          descriptionZh: product.descriptionZh,
          descriptionEn: product.descriptionEn,
          theme: product.theme,
          keywords: product.keywords,
        }}
        onFinish={(values) => save.mutate(values)}
        data-testid="product-metadata-form"
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="titleZh" label={t('products.fields.titleZh')} rules={[required, within(TITLE_MAX_LENGTH)]}>
              <Input count={counter(TITLE_MAX_LENGTH)} data-testid="product-form-title-zh" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="titleEn" label={t('products.fields.titleEn')} rules={[required, within(TITLE_MAX_LENGTH)]}>
              <Input count={counter(TITLE_MAX_LENGTH)} data-testid="product-form-title-en" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="descriptionZh" label={t('products.fields.descriptionZh')} extra={t('products.fields.descriptionHint')} rules={[within(DESCRIPTION_MAX_LENGTH)]}>
              <Input.TextArea rows={5} count={counter(DESCRIPTION_MAX_LENGTH)} data-testid="product-form-description-zh" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="descriptionEn" label={t('products.fields.descriptionEn')} rules={[within(DESCRIPTION_MAX_LENGTH)]}>
              <Input.TextArea rows={5} count={counter(DESCRIPTION_MAX_LENGTH)} data-testid="product-form-description-en" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="theme" label={t('products.fields.theme')} rules={[{ required: true, message: t('validation.required') }]}>
              <Select data-testid="product-form-theme" listHeight={THEME_LIST_HEIGHT} options={themes.map((value) => ({ value, label: t(`vocab.themes.${value}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="keywords"
              label={t('products.fields.keywords')}
              extra={t('datasets.fields.keywordsHint')}
              rules={[{ type: 'array', max: 20, message: t('products.fields.keywordsMax') }]}
            >
              <Select mode="tags" tokenSeparators={[',', '，', ';', '；']} open={false} suffixIcon={null} data-testid="product-form-keywords" />
            </Form.Item>
          </Col>
        </Row>
        {readOnly ? null : (
          <Flex justify="flex-end" gap={8}>
            <Button onClick={() => form.resetFields()}>{t('common.reset')}</Button>
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="product-metadata-save">
              {t('common.save')}
            </Button>
          </Flex>
        )}
      </Form>
    </Flex>
  );
}
