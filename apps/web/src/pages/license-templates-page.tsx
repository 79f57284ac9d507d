import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Collapse, Descriptions, Empty, Flex, Form, Input, Modal, Row, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { CreateLicenseTemplateRequest, LicenseTemplate } from '../api/schema-types';
import { bilingual, LicenceText, TermsHash } from '../commerce/commerce-display';
import {
  emptyPolicyDraft,
  latestVersions,
  nextVersionOf,
  parsePolicyText,
  policyDraft,
  policyProblemsOf,
  TEMPLATE_KEY,
  type PolicyProblem,
} from '../commerce/license-template-form';
import { describeApiError, useFormErrorHandler } from '../components/api-error-feedback';
import { formatDate } from '../components/number-format';
import { PageHeader } from '../components/page-header';

/** The platform's standard licence templates: each key's latest version with its terms in words, older versions a click away, and saving a new template or version from an ODRL policy. */
export function LicenseTemplatesPage() {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<LicenseTemplate | 'new' | null>(null);
  const templates = useQuery({ queryKey: queryKeys.licenseTemplates, queryFn: () => unwrap(api.GET('/api/v1/license-templates')) });
  const standard = (templates.data?.items ?? []).filter((template) => template.standard);
  const latest = latestVersions(standard);

  return (
    <>
      <PageHeader
        title={t('commerce.templates.title')}
        description={t('commerce.templates.description')}
        extra={
          <Button type="primary" onClick={() => setEditing('new')} data-testid="template-create">
            {t('commerce.templates.create')}
          </Button>
        }
      />
      {templates.isPending ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : templates.isError ? (
        <Alert type="error" showIcon title={t('common.loadFailed')} description={describeApiError(templates.error, t)} />
      ) : latest.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('commerce.templates.empty')} />
      ) : (
        <Row gutter={[16, 16]} data-testid="templates">
          {latest.map((template) => (
            <Col key={template.key} xs={24} xl={12} style={{ minWidth: 0 }}>
              <TemplateCard
                template={template}
                older={standard.filter((candidate) => candidate.key === template.key && candidate.id !== template.id).sort((a, b) => b.version - a.version)}
                onNewVersion={() => setEditing(template)}
              />
            </Col>
          ))}
        </Row>
      )}
      {editing ? <TemplateModal key={editing === 'new' ? 'new' : editing.id} from={editing === 'new' ? null : editing} templates={standard} onClose={() => setEditing(null)} /> : null}
    </>
  );
}

/** One key: its latest version's facts and terms in words, and the versions before it. */
function TemplateCard({ template, older, onNewVersion }: { template: LicenseTemplate; older: LicenseTemplate[]; onNewVersion(): void }) {
  const { t, i18n } = useTranslation();
  return (
    <Card
      size="small"
      title={<span style={{ whiteSpace: 'normal' }}>{bilingual(template.titleZh, template.titleEn, i18n.language)}</span>}
      extra={
        <Button size="small" onClick={onNewVersion} data-testid={`template-new-version-${template.key}`}>
          {t('commerce.templates.newVersion')}
        </Button>
      }
      data-testid="template-card"
      data-key={template.key}
      data-version={template.version}
    >
      <Flex vertical gap={12}>
        <VersionFacts template={template} latest />
        <TemplateDetails template={template} />
        {older.length > 0 ? (
          <Collapse
            size="small"
            items={older.map((version) => ({
              key: version.id,
              label: <VersionFacts template={version} latest={false} />,
              children: <TemplateDetails template={version} />,
            }))}
          />
        ) : null}
      </Flex>
    </Card>
  );
}

function VersionFacts({ template, latest }: { template: LicenseTemplate; latest: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Space size={[6, 4]} wrap data-testid="template-version" data-key={template.key} data-version={template.version}>
      {latest ? (
        <Typography.Text code style={{ wordBreak: 'break-all' }}>
          {template.key}
        </Typography.Text>
      ) : null}
      <Tag color={latest ? 'blue' : 'default'} style={{ marginInlineEnd: 0 }}>
        {t('commerce.templates.versionN', { version: template.version })} · {latest ? t('commerce.templates.latest') : t('commerce.templates.olderVersion')}
      </Tag>
      <Tag color={template.used ? 'green' : 'default'} style={{ marginInlineEnd: 0 }}>
        {template.used ? t('commerce.templates.used') : t('commerce.templates.unused')}
      </Tag>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('commerce.templates.savedOn', { date: formatDate(template.createdAt, i18n.language) })}
      </Typography.Text>
    </Space>
  );
}

/** A version's summary, policy fingerprint and terms in words (the reader's language first). */
function TemplateDetails({ template }: { template: LicenseTemplate }) {
  const { t, i18n } = useTranslation();
  const summary = bilingual(template.summaryZh, template.summaryEn, i18n.language);
  return (
    <Flex vertical gap={12} data-testid="template-details">
      {summary ? <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>{summary}</Typography.Paragraph> : null}
      <Descriptions size="small" column={1} items={[{ key: 'sha', label: t('commerce.templates.sha256'), children: <TermsHash sha256={template.policySha256} /> }]} />
      <LicenceText text={template.text} />
    </Flex>
  );
}

interface TemplateFormValues {
  from?: string;
  key: string;
  titleZh: string;
  titleEn: string;
  summaryZh?: string;
  summaryEn?: string;
  policy: string;
}

function valuesFrom(template: LicenseTemplate | null, templates: readonly LicenseTemplate[]): TemplateFormValues {
  if (!template) return { key: '', titleZh: '', titleEn: '', summaryZh: '', summaryEn: '', policy: emptyPolicyDraft('') };
  return {
    from: template.id,
    key: template.key,
    titleZh: template.titleZh,
    titleEn: template.titleEn,
    summaryZh: template.summaryZh,
    summaryEn: template.summaryEn,
    policy: policyDraft(template.policy, template.key, nextVersionOf(templates, template.key)),
  };
}

/** Saves a standard template: a new key, or the next version of one; the policy is JSON typed or pasted, its problems listed as the API finds them. */
function TemplateModal({ from, templates, onClose }: { from: LicenseTemplate | null; templates: readonly LicenseTemplate[]; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<TemplateFormValues>();
  const handleError = useFormErrorHandler(form);
  const [problems, setProblems] = useState<PolicyProblem[] | null>(null);
  const key = (Form.useWatch('key', form) ?? '').trim();
  const version = nextVersionOf(templates, key);

  const save = useMutation({
    mutationFn: (body: CreateLicenseTemplateRequest) => unwrap(api.POST('/api/v1/license-templates/standard', { body })),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.licenseTemplates });
      void message.success(t('commerce.templates.saved', { key: saved.key, version: saved.version }));
      onClose();
    },
    onError: (error) => {
      setProblems(policyProblemsOf(error));
      handleError(error);
    },
  });

  const startFrom = (id: string | undefined) => {
    const template = templates.find((candidate) => candidate.id === id) ?? null;
    form.setFieldsValue(template ? valuesFrom(template, templates) : { ...valuesFrom(null, templates), key: form.getFieldValue('key') as string, policy: emptyPolicyDraft(key) });
    setProblems(null);
  };

  return (
    <Modal
      open
      width={820}
      title={from ? t('commerce.templates.newVersionOf', { key: from.key }) : t('commerce.templates.createTitle')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="template-submit">
            {t('commerce.templates.submit')}
          </Button>
        </>
      }
    >
      <Form<TemplateFormValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        noValidate
        initialValues={valuesFrom(from, templates)}
        onValuesChange={(changed) => {
          if ('policy' in changed) setProblems(null);
        }}
        onFinish={(values) => {
          const parsed = parsePolicyText(values.policy);
          if ('error' in parsed) return;
          save.mutate({
            key: values.key.trim(),
            titleZh: values.titleZh.trim(),
            titleEn: values.titleEn.trim(),
            ...(values.summaryZh?.trim() ? { summaryZh: values.summaryZh.trim() } : {}),
            ...(values.summaryEn?.trim() ? { summaryEn: values.summaryEn.trim() } : {}),
            policy: parsed.policy,
          });
        }}
        data-testid="template-form"
      >
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="from" label={t('commerce.templates.startFrom')} extra={t('commerce.templates.startFromHint')}>
              <Select
                allowClear
                placeholder={t('commerce.templates.startBlank')}
                onChange={startFrom}
                options={templates.map((template) => ({
                  value: template.id,
                  label: `${bilingual(template.titleZh, template.titleEn, i18n.language)} · ${t('commerce.templates.versionN', { version: template.version })}`,
                }))}
                data-testid="template-form-from"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="key"
              label={t('commerce.templates.key')}
              extra={TEMPLATE_KEY.test(key) ? (version > 1 ? t('commerce.templates.nextVersion', { key, version }) : t('commerce.templates.firstVersion', { key })) : t('commerce.templates.keyHint')}
              rules={[
                { required: true, whitespace: true, message: t('validation.required') },
                { pattern: TEMPLATE_KEY, message: t('commerce.templates.keyInvalid') },
              ]}
            >
              <Input autoComplete="off" spellCheck={false} maxLength={64} data-testid="template-form-key" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="titleZh" label={t('commerce.templates.titleZh')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
              <Input maxLength={200} data-testid="template-form-title-zh" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="titleEn" label={t('commerce.templates.titleEn')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
              <Input maxLength={200} data-testid="template-form-title-en" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="summaryZh" label={t('commerce.templates.summaryZh')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="summaryEn" label={t('commerce.templates.summaryEn')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="policy"
          label={t('commerce.templates.policy')}
          extra={t('commerce.templates.policyHint')}
          validateFirst
          rules={[
            { required: true, whitespace: true, message: t('validation.required') },
            {
              validator: (_, text: string) => {
                const parsed = parsePolicyText(text);
                if (!('error' in parsed)) return Promise.resolve();
                return Promise.reject(new Error(parsed.error === 'json' ? t('commerce.templates.invalidJson', { message: parsed.message }) : t('commerce.templates.notObject')));
              },
            },
          ]}
        >
          <Input.TextArea
            autoSize={{ minRows: 12, maxRows: 24 }}
            spellCheck={false}
            style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 }}
            data-testid="template-form-policy"
          />
        </Form.Item>
        {problems && problems.length > 0 ? <PolicyProblems problems={problems} /> : null}
      </Form>
    </Modal>
  );
}

/** Each problem the API found in the policy: where, what kind (in words) and its own message. */
function PolicyProblems({ problems }: { problems: PolicyProblem[] }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      title={t('commerce.templates.problemsTitle', { count: problems.length })}
      data-testid="template-problems"
      description={
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {problems.map((problem, index) => (
            <li key={index} data-testid="template-problem" data-path={problem.path} data-code={problem.code}>
              <Typography.Text code style={{ wordBreak: 'break-all' }}>
                {problem.path || t('commerce.templates.problemRoot')}
              </Typography.Text>{' '}
              <Typography.Text strong>{t(`commerce.templates.problems.${problem.code}`)}</Typography.Text>
              {problem.message && problem.message.toLowerCase() !== t(`commerce.templates.problems.${problem.code}`).toLowerCase() ? (
                <Typography.Text type="secondary"> — {problem.message}</Typography.Text>
              ) : null}
            </li>
          ))}
        </ul>
      }
    />
  );
}
