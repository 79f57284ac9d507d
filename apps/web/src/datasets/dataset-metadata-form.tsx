import { Col, DatePicker, Divider, Form, Input, InputNumber, Radio, Row, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { DatasetDetail, DatasetLicense, SmallCellHandling, Theme, UpdateDatasetRequest, UpdateFrequency } from '../api/schema-types';
import { datasetLicenses, MIN_GROUP_SIZE, themes, updateFrequencies } from '../catalog/vocabulary';
import { smallCellHandlings } from '../products/product-vocabulary';

/** The DCAT fields a steward writes, as the form holds them. */
export interface DatasetMetadataFormValues {
  titleZh: string;
  titleEn: string;
  descriptionZh?: string;
  descriptionEn?: string;
  theme: Theme;
  keywords?: string[];
  contactName?: string;
  contactEmail?: string;
  updateFrequency: UpdateFrequency;
  spatialCoverage?: string;
  temporal?: [Dayjs | null, Dayjs | null] | null;
  licenseId: DatasetLicense;
  minGroupSize?: number | null;
  /** What the privacy gate does with derived cells smaller than k. */
  smallCells?: SmallCellHandling;
}

const DATE = 'YYYY-MM-DD';

/** The request body for the form's values; an emptied coverage period is sent as null (cleared). */
export function toMetadataRequest(values: DatasetMetadataFormValues): UpdateDatasetRequest & { titleZh: string; titleEn: string; theme: Theme } {
  const [start, end] = values.temporal ?? [null, null];
  return {
    titleZh: values.titleZh.trim(),
    titleEn: values.titleEn.trim(),
    descriptionZh: values.descriptionZh?.trim() ?? '',
    descriptionEn: values.descriptionEn?.trim() ?? '',
    theme: values.theme,
    keywords: [...new Set((values.keywords ?? []).map((keyword) => keyword.trim()).filter((keyword) => keyword !== ''))],
    contactName: values.contactName?.trim() ?? '',
    ...(values.contactEmail?.trim() ? { contactEmail: values.contactEmail.trim() } : {}),
    updateFrequency: values.updateFrequency,
    spatialCoverage: values.spatialCoverage?.trim() ?? '',
    temporalStart: start ? start.format(DATE) : null,
    temporalEnd: end ? end.format(DATE) : null,
    licenseId: values.licenseId,
    ...(values.minGroupSize ? { minGroupSize: values.minGroupSize } : {}),
    ...(values.smallCells ? { smallCells: values.smallCells } : {}),
  };
}

/** The form's values for a dataset being edited. */
export function fromDataset(dataset: DatasetDetail): DatasetMetadataFormValues {
  return {
    titleZh: dataset.titleZh,
    titleEn: dataset.titleEn,
    descriptionZh: dataset.descriptionZh,
    descriptionEn: dataset.descriptionEn,
    theme: dataset.theme,
    keywords: dataset.keywords,
    contactName: dataset.contactName,
    contactEmail: dataset.contactEmail,
    updateFrequency: dataset.updateFrequency,
    spatialCoverage: dataset.spatialCoverage,
    temporal: dataset.temporalStart || dataset.temporalEnd ? [toDay(dataset.temporalStart), toDay(dataset.temporalEnd)] : null,
    licenseId: dataset.licenseId,
    minGroupSize: dataset.minGroupSize,
    smallCells: dataset.smallCells,
  };
}

function toDay(value: string | null): Dayjs | null {
  return value ? dayjs(value, DATE) : null;
}

/** The metadata fields, in both languages where they are free text. Used inside a <Form>. */
export function DatasetMetadataFields() {
  const { t } = useTranslation();
  const required = { required: true, whitespace: true, message: t('validation.required') };
  return (
    <>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="titleZh" label={t('datasets.fields.titleZh')} rules={[required]}>
            <Input maxLength={200} data-testid="dataset-form-title-zh" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="titleEn" label={t('datasets.fields.titleEn')} rules={[required]}>
            <Input maxLength={200} data-testid="dataset-form-title-en" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="descriptionZh" label={t('datasets.fields.descriptionZh')}>
            <Input.TextArea rows={4} maxLength={8000} data-testid="dataset-form-description-zh" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="descriptionEn" label={t('datasets.fields.descriptionEn')}>
            <Input.TextArea rows={4} maxLength={8000} data-testid="dataset-form-description-en" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="theme" label={t('datasets.fields.theme')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select data-testid="dataset-form-theme" options={themes.map((value) => ({ value, label: t(`vocab.themes.${value}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="updateFrequency" label={t('datasets.fields.updateFrequency')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select data-testid="dataset-form-frequency" options={updateFrequencies.map((value) => ({ value, label: t(`vocab.frequencies.${value}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item
            name="keywords"
            label={t('datasets.fields.keywords')}
            extra={t('datasets.fields.keywordsHint')}
            rules={[{ type: 'array', max: 30, message: t('datasets.fields.keywordsMax') }]}
          >
            <Select mode="tags" tokenSeparators={[',', '，', ';', '；']} open={false} suffixIcon={null} data-testid="dataset-form-keywords" />
          </Form.Item>
        </Col>
      </Row>
      <Divider titlePlacement="start" plain>
        {t('datasets.sections.contactCoverage')}
      </Divider>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="contactName" label={t('datasets.fields.contactName')}>
            <Input maxLength={120} data-testid="dataset-form-contact-name" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="contactEmail" label={t('datasets.fields.contactEmail')} rules={[{ type: 'email', message: t('validation.email') }]}>
            <Input type="email" maxLength={254} data-testid="dataset-form-contact-email" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="spatialCoverage" label={t('datasets.fields.spatialCoverage')}>
            <Input maxLength={200} placeholder={t('datasets.fields.spatialCoveragePlaceholder')} data-testid="dataset-form-spatial" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="temporal" label={t('datasets.fields.temporalCoverage')} extra={t('datasets.fields.temporalHint')}>
            <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} data-testid="dataset-form-temporal" />
          </Form.Item>
        </Col>
      </Row>
      <Divider titlePlacement="start" plain>
        {t('datasets.sections.terms')}
      </Divider>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="licenseId" label={t('datasets.fields.license')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select data-testid="dataset-form-license" options={datasetLicenses.map((value) => ({ value, label: t(`vocab.licenses.${value}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="minGroupSize" label={t('datasets.fields.minGroupSize')} extra={t('datasets.fields.minGroupSizeHint')}>
            <InputNumber
              min={MIN_GROUP_SIZE.min}
              max={MIN_GROUP_SIZE.max}
              precision={0}
              placeholder={String(MIN_GROUP_SIZE.default)}
              style={{ width: '100%' }}
              data-testid="dataset-form-k"
            />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name="smallCells" label={t('datasets.fields.smallCells')} extra={t('datasets.fields.smallCellsHint')}>
            <Radio.Group data-testid="dataset-form-small-cells" style={{ width: '100%' }}>
              <Space orientation="vertical">
                {smallCellHandlings.map((value) => (
                  <Radio key={value} value={value} data-testid={`dataset-form-small-cells-${value}`}>
                    <Typography.Text>{t(`products.vocab.smallCells.${value}`)}</Typography.Text>
                    <Typography.Text type="secondary">
                      {t('ingest.factSeparator')}
                      {t(`products.vocab.smallCellsDescriptions.${value}`)}
                    </Typography.Text>
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}
